using System.Text.Json;
using InferCost.Core.Diagnostics;
using InferCost.Core.Fit;

namespace InferCost.Core.Pricing;

/// <summary>An entry the import left out, and why.</summary>
public sealed record SkippedEntry(string Key, string Reason);

public sealed record LiteLlmImport(IReadOnlyList<TokenPrice> Prices, IReadOnlyList<SkippedEntry> Skipped, IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>Reads LiteLLM's <c>model_prices_and_context_window.json</c> (a JSON object of model key → prices per token)
/// into catalog token prices (USD per million tokens). Only <c>mode: "chat"</c> entries with input and output prices are
/// kept; everything else is reported as skipped with the reason. Pure.</summary>
public static class LiteLlmImporter
{
    public const string DefaultSource = "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json";

    private static readonly Dictionary<string, string> Providers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["openai"] = "OpenAI",
        ["anthropic"] = "Anthropic",
        ["together_ai"] = "Together AI",
        ["fireworks_ai"] = "Fireworks",
    };

    /// <param name="catalogName">Recorded in each entry's provenance (the file the catalog will be read from).</param>
    public static LiteLlmImport Read(Stream stream, DateOnly effectiveDate, string source, string catalogName)
    {
        var prices = new List<TokenPrice>();
        var skipped = new List<SkippedEntry>();
        var diagnostics = new List<Diagnostic>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            diagnostics.Add(Diagnostic.Error((ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1, null, null, "is not valid JSON: " + ex.Message.Split(" LineNumber:")[0].TrimEnd('.', ' ')));
            return new LiteLlmImport(prices, skipped, diagnostics);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                diagnostics.Add(Diagnostic.Error(1, 1, null, null, "must be a JSON object of model names to prices (LiteLLM's model_prices_and_context_window.json)"));
                return new LiteLlmImport(prices, skipped, diagnostics);
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                var reason = Convert(entry, effectiveDate, source, catalogName, out var price);
                if (price is not null && !seen.Add(NameMatcher.Normalize(price.Provider) + "|" + NameMatcher.Normalize(price.Model)))
                {
                    reason = $"repeats {price.Provider} {price.Model}, imported from an earlier key";
                    price = null;
                }
                if (price is null)
                {
                    skipped.Add(new SkippedEntry(entry.Name, reason!));
                }
                else
                {
                    prices.Add(price);
                }
            }
        }
        return new LiteLlmImport(prices, skipped, diagnostics);
    }

    private static string? Convert(JsonProperty entry, DateOnly date, string source, string catalogName, out TokenPrice? price)
    {
        price = null;
        var e = entry.Value;
        if (entry.Name == "sample_spec")
        {
            return "LiteLLM's documentation of the format, not a model";
        }
        if (e.ValueKind != JsonValueKind.Object)
        {
            return "is not an object";
        }
        var mode = Text(e, "mode");
        if (mode != "chat")
        {
            return mode is null ? "has no mode; only chat models are imported" : $"mode \"{mode}\" is not chat; only chat models are imported";
        }
        var providerKey = Text(e, "litellm_provider");
        if (providerKey is null)
        {
            return "has no litellm_provider";
        }
        var problems = new List<string>();
        var input = PerMillion(e, "input_cost_per_token", problems);
        var output = PerMillion(e, "output_cost_per_token", problems);
        var cached = PerMillion(e, "cache_read_input_token_cost", problems);
        var write = PerMillion(e, "cache_creation_input_token_cost", problems);
        var batchIn = PerMillion(e, "input_cost_per_token_batches", problems);
        var batchOut = PerMillion(e, "output_cost_per_token_batches", problems);
        if (problems.Count > 0)
        {
            return string.Join("; ", problems);
        }
        if (input is null || output is null)
        {
            return "has no input_cost_per_token and output_cost_per_token";
        }
        var model = entry.Name.StartsWith(providerKey + "/", StringComparison.OrdinalIgnoreCase) ? entry.Name[(providerKey.Length + 1)..] : entry.Name;
        price = new TokenPrice
        {
            Provider = Providers.GetValueOrDefault(providerKey, providerKey),
            Model = model,
            Aliases = model == entry.Name ? [] : [entry.Name],
            InputUsdPerMTok = input.Value,
            OutputUsdPerMTok = output.Value,
            CachedInputUsdPerMTok = cached,
            CacheWriteUsdPerMTok = write,
            // A batch lane needs both prices; half a lane would price batch rows wrongly.
            BatchInputUsdPerMTok = batchIn is not null && batchOut is not null ? batchIn : null,
            BatchOutputUsdPerMTok = batchIn is not null && batchOut is not null ? batchOut : null,
            Provenance = new PriceProvenance(date, source, catalogName),
        };
        return null;
    }

    private static string? Text(JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static decimal? PerMillion(JsonElement e, string key, List<string> problems)
    {
        if (!e.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDecimal(out var perToken) || perToken < 0)
        {
            problems.Add($"{key} {v.GetRawText()} is not a price of zero or more");
            return null;
        }
        return Normalize(perToken * 1_000_000m);
    }

    /// <summary>Drops trailing zeros (2.5000000 → 2.5) so the written catalog reads like a hand-written one.</summary>
    public static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;
}
