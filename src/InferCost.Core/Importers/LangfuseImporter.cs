using System.Globalization;
using System.Text.Json;
using InferCost.Core.Events;

namespace InferCost.Core.Importers;

/// <summary>
/// Langfuse observation exports (JSON, JSON Lines or CSV; camelCase as the API returns them, snake_case as the
/// export writes them). Only GENERATION observations are requests. Langfuse's <c>usageDetails</c> are exclusive
/// buckets: InferCost's inputTokens is the sum of <c>input</c> and every <c>input_*</c> / cache bucket, cached
/// reads are the buckets named <c>*cache_read*</c> or <c>*cached*</c>, cache writes <c>*cache_creation*</c> /
/// <c>*cache_write*</c>; outputTokens is <c>output</c> plus every <c>output_*</c> bucket. Cost is
/// <c>costDetails.total</c> or <c>calculatedTotalCost</c>. <c>level</c> ERROR is an error.
/// </summary>
public sealed class LangfuseImporter : IEventImporter
{
    public string Name => "langfuse";
    public string Description => "Langfuse observations export (JSON, JSONL or CSV)";
    public string Versions => "Langfuse observations as its public API and export return them (usageDetails/costDetails, or the older usage object)";

    public bool Detect(ImportProbe probe) =>
        probe.CsvHeader is null
            ? (probe.HeadText.Contains("\"traceId\"", StringComparison.Ordinal) || probe.HeadText.Contains("\"trace_id\"", StringComparison.Ordinal)) &&
              probe.HeadText.Contains("GENERATION", StringComparison.Ordinal)
            : probe.HasColumns("traceId", "startTime") || probe.HasColumns("trace_id", "start_time");

    public long Read(Stream content, ImportContext context)
    {
        return FlatRecords.Read(content, context, (get, _, line) =>
        {
            string? Get(string camel, string snake) => get(camel) ?? get(snake);
            if (Get("type", "type") is { } type && !type.Equals("GENERATION", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
            var model = context.Model(Get("model", "provided_model_name") ?? get("model"));
            var provider = context.Provider(model, get("provider"));
            var route = context.Route(model);
            var workload = context.Workload(model);
            if (route is null || workload is null || provider is null || model is null)
            {
                return;
            }
            var start = Parse.Time(Get("startTime", "start_time"));
            var end = Parse.Time(Get("endTime", "end_time"));
            if (start is null)
            {
                context.Error(line, "startTime", Get("startTime", "start_time"), "is missing or not a timestamp");
                return;
            }
            var first = Parse.Time(Get("completionStartTime", "completion_start_time"));
            var usage = Buckets(Get("usageDetails", "usage_details"));
            long input = 0, cached = 0, written = 0, output = 0;
            long? reasoning = null;
            foreach (var (key, value) in usage)
            {
                if (key == "total")
                {
                    continue;
                }
                var isOutput = key == "output" || key.StartsWith("output", StringComparison.Ordinal) || key.StartsWith("completion", StringComparison.Ordinal);
                if (isOutput)
                {
                    output += value;
                    if (key.Contains("reasoning", StringComparison.Ordinal))
                    {
                        reasoning = (reasoning ?? 0) + value;
                    }
                    continue;
                }
                input += value;
                if (key.Contains("cache_read", StringComparison.Ordinal) || key.Contains("cached", StringComparison.Ordinal))
                {
                    cached += value;
                }
                else if (key.Contains("cache_creation", StringComparison.Ordinal) || key.Contains("cache_write", StringComparison.Ordinal))
                {
                    written += value;
                }
            }
            var cost = Buckets(Get("costDetails", "cost_details"), money: true).TryGetValue("total", out var c) ? c / 1e9m : Parse.Money(Get("calculatedTotalCost", "total_cost") ?? get("totalCost"));
            context.Emit(new RequestEvent
            {
                RequestId = get("id") ?? $"langfuse-{line}",
                StartedAt = start.Value,
                LatencyMs = end is { } e ? Math.Max(0, (e - start.Value).TotalMilliseconds) : 0,
                Route = route,
                Provider = provider,
                Model = model,
                Workload = workload,
                InputTokens = input,
                CachedInputTokens = cached,
                CacheWriteTokens = written,
                OutputTokens = output,
                ReasoningTokens = reasoning,
                TtftMs = first is { } f && end is { } e2 && f <= e2 ? (f - start.Value).TotalMilliseconds : null,
                Status = Get("level", "level") is "ERROR" ? EventStatus.Error : EventStatus.Ok,
                CostUsd = cost,
                RunId = Get("traceId", "trace_id"),
            }, line);
        }, "data", "observations");
    }

    /// <summary>A JSON object of numbers (given as JSON text) as a map; money is kept exact in units of 1e-9.</summary>
    private static Dictionary<string, long> Buckets(string? json, bool money = false)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json))
        {
            return result;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return result;
            }
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Number)
                {
                    result[property.Name] = money
                        ? (long)Math.Round(decimal.Parse(property.Value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture) * 1e9m)
                        : (long)property.Value.GetDouble();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: no buckets; the event then has zero tokens rather than invented ones.
        }
        return result;
    }
}
