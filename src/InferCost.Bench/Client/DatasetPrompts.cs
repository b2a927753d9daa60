using System.Globalization;
using System.Text;
using System.Text.Json;
using InferCost.Core.Diagnostics;

namespace InferCost.Bench.Client;

/// <summary>A JSON Lines dataset, one prompt per line: <c>{"messages":[…]}</c> (OpenAI chat messages) or
/// <c>{"prompt":"…"}</c> (sent as one user message), with optional <c>"id"</c>, <c>"expected"</c> (the answer an
/// evaluator compares with) and <c>"max_tokens"</c>. Requests cycle through the lines in order. Immutable.</summary>
public sealed class DatasetPrompts : IPromptSource
{
    private readonly BenchPrompt[] _prompts;

    private DatasetPrompts(BenchPrompt[] prompts, string description)
    {
        _prompts = prompts;
        Description = description;
    }

    public string Description { get; }

    public int Count => _prompts.Length;

    public BenchPrompt Get(long index) => _prompts[index % _prompts.Length];

    /// <summary>Reads the dataset; every bad line is a diagnostic (line, column, value, reason). Returns null when
    /// nothing usable was read.</summary>
    public static DatasetPrompts? Read(TextReader reader, string name, DiagnosticBag diagnostics)
    {
        var prompts = new List<BenchPrompt>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var prompt = ParseLine(line, lineNumber, diagnostics);
            if (prompt is not null)
            {
                prompts.Add(prompt);
            }
        }
        if (prompts.Count == 0 && !diagnostics.HasErrors)
        {
            diagnostics.Add(Diagnostic.Error(0, null, null, null, "holds no prompts"));
        }
        return diagnostics.HasErrors ? null : new DatasetPrompts(prompts.ToArray(), $"dataset {name} ({prompts.Count.ToString(CultureInfo.InvariantCulture)} prompts)");
    }

    private static BenchPrompt? ParseLine(string line, int lineNumber, DiagnosticBag diagnostics)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            diagnostics.Add(Diagnostic.Error(lineNumber, null, null, Truncate(line), $"is not valid JSON ({ex.Message.Split('.')[0]})"));
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                diagnostics.Add(Diagnostic.Error(lineNumber, null, null, Truncate(line), "must be a JSON object with \"messages\" or \"prompt\""));
                return null;
            }
            var id = root.TryGetProperty("id", out var idElement) ? idElement.ToString() : lineNumber.ToString(CultureInfo.InvariantCulture);
            string? expected = null;
            if (root.TryGetProperty("expected", out var expectedElement) && expectedElement.ValueKind != JsonValueKind.Null)
            {
                expected = expectedElement.ValueKind == JsonValueKind.String ? expectedElement.GetString() : expectedElement.GetRawText();
            }
            int? maxTokens = null;
            if (root.TryGetProperty("max_tokens", out var maxElement))
            {
                if (maxElement.ValueKind != JsonValueKind.Number || !maxElement.TryGetInt32(out var max) || max < 1)
                {
                    diagnostics.Add(Diagnostic.Error(lineNumber, null, "max_tokens", maxElement.GetRawText(), "must be a whole number ≥ 1"));
                    return null;
                }
                maxTokens = max;
            }
            if (root.TryGetProperty("messages", out var messages))
            {
                if (messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
                {
                    diagnostics.Add(Diagnostic.Error(lineNumber, null, "messages", Truncate(messages.GetRawText()), "must be a non-empty array of chat messages"));
                    return null;
                }
                var text = new StringBuilder();
                foreach (var message in messages.EnumerateArray())
                {
                    if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var content))
                    {
                        text.Append(content.ValueKind == JsonValueKind.String ? content.GetString() : content.GetRawText()).Append('\n');
                    }
                }
                return new BenchPrompt(id, messages.GetRawText(), text.ToString(), expected, maxTokens);
            }
            if (root.TryGetProperty("prompt", out var promptElement) && promptElement.ValueKind == JsonValueKind.String)
            {
                var prompt = promptElement.GetString()!;
                return new BenchPrompt(id, UserMessages(prompt), prompt, expected, maxTokens);
            }
            diagnostics.Add(Diagnostic.Error(lineNumber, null, null, Truncate(line), "needs \"messages\" (an array) or \"prompt\" (a string)"));
            return null;
        }
    }

    /// <summary>The messages array with one user message.</summary>
    internal static string UserMessages(string prompt) =>
        "[{\"role\":\"user\",\"content\":" + JsonSerializer.Serialize(prompt) + "}]";

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
