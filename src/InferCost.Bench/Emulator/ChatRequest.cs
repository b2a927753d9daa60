using System.Text.Json;

namespace InferCost.Bench.Emulator;

/// <summary>The parts of an OpenAI chat-completions request body that the emulator acts on.</summary>
internal sealed class ChatRequest
{
    public string Model { get; private set; } = "emulator";
    public bool Stream { get; private set; }
    public bool IncludeUsage { get; private set; }
    public int? MaxTokens { get; private set; }
    /// <summary>One hash per prompt token (<see cref="EmulatorTokens"/>), in order.</summary>
    public List<ulong> PromptTokenHashes { get; } = [];

    /// <summary>Parses a request body; returns null with a reason when it is not a chat-completions request.</summary>
    public static ChatRequest? Parse(JsonElement root, out string? problem)
    {
        problem = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = "the body is not a JSON object";
            return null;
        }
        var request = new ChatRequest();
        if (root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String)
        {
            request.Model = model.GetString()!;
        }
        request.Stream = root.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;
        request.IncludeUsage = root.TryGetProperty("stream_options", out var options)
            && options.ValueKind == JsonValueKind.Object
            && options.TryGetProperty("include_usage", out var usage) && usage.ValueKind == JsonValueKind.True;
        foreach (var name in (ReadOnlySpan<string>)["max_completion_tokens", "max_tokens"])
        {
            if (root.TryGetProperty(name, out var max) && max.ValueKind == JsonValueKind.Number && max.TryGetInt32(out var n))
            {
                if (n < 1)
                {
                    problem = $"{name} must be at least 1";
                    return null;
                }
                request.MaxTokens = n;
                break;
            }
        }
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            problem = "messages must be a non-empty array";
            return null;
        }
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("content", out var content))
            {
                continue;
            }
            if (content.ValueKind == JsonValueKind.String)
            {
                EmulatorTokens.Hash(content.GetString(), request.PromptTokenHashes);
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                    {
                        EmulatorTokens.Hash(text.GetString(), request.PromptTokenHashes);
                    }
                }
            }
        }
        return request;
    }
}
