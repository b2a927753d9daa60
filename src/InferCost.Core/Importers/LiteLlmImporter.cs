using System.Text.Json;
using InferCost.Core.Events;

namespace InferCost.Core.Importers;

/// <summary>
/// LiteLLM proxy spend logs (<c>LiteLLM_SpendLogs</c> rows, exported as CSV, a JSON array, <c>{"data": […]}</c>
/// or JSON Lines): <c>request_id</c>, <c>startTime</c>, <c>endTime</c>, <c>completionStartTime</c>, <c>model</c>,
/// <c>custom_llm_provider</c>, <c>prompt_tokens</c>, <c>completion_tokens</c>, <c>spend</c> (USD) and <c>status</c>
/// (success/failure). Token semantics are OpenAI's: <c>prompt_tokens</c> includes cached tokens, read from
/// <c>metadata.usage_object.prompt_tokens_details.cached_tokens</c> when present.
/// </summary>
public sealed class LiteLlmImporter : IEventImporter
{
    public string Name => "litellm";
    public string Description => "LiteLLM spend logs (CSV or JSON)";
    public string Versions => "LiteLLM proxy spend logs (the LiteLLM_SpendLogs table, CSV or JSON)";

    public bool Detect(ImportProbe probe) =>
        (probe.CsvHeader is null && probe.HeadText.Contains("\"request_id\"", StringComparison.Ordinal) && probe.HeadText.Contains("\"spend\"", StringComparison.Ordinal)) ||
        (probe.HasKeys("request_id", "spend") && (probe.FirstObjectKeys.Contains("startTime") || probe.FirstObjectKeys.Contains("prompt_tokens"))) ||
        probe.HasColumns("request_id", "spend", "startTime");

    public long Read(Stream content, ImportContext context)
    {
        return FlatRecords.Read(content, context, (get, json, line) =>
        {
            var model = context.Model(get("model"));
            var provider = context.Provider(model, get("custom_llm_provider"));
            var route = context.Route(model);
            var workload = context.Workload(model);
            if (route is null || workload is null || provider is null || model is null)
            {
                return;
            }
            var start = Parse.Time(get("startTime"));
            var end = Parse.Time(get("endTime"));
            if (start is null || end is null)
            {
                context.Error(line, start is null ? "startTime" : "endTime", get(start is null ? "startTime" : "endTime"), "is missing or not a timestamp");
                return;
            }
            var first = Parse.Time(get("completionStartTime"));
            var status = get("status") is { } s && !s.Equals("success", StringComparison.OrdinalIgnoreCase) ? EventStatus.Error : EventStatus.Ok;
            var cached = CachedTokens(json, get("metadata"));
            var latency = (end.Value - start.Value).TotalMilliseconds;
            // LiteLLM sets completionStartTime = endTime for non-streamed calls: that is not a first token.
            double? ttft = first is { } f && f < end ? (f - start.Value).TotalMilliseconds : null;
            context.Emit(new RequestEvent
            {
                RequestId = get("request_id") ?? $"litellm-{line}",
                StartedAt = start.Value,
                LatencyMs = latency,
                Route = route,
                Provider = provider,
                Model = model,
                Workload = workload,
                InputTokens = Parse.Count(get("prompt_tokens")) ?? 0,
                CachedInputTokens = cached,
                OutputTokens = Parse.Count(get("completion_tokens")) ?? 0,
                TtftMs = ttft,
                Status = status,
                CostUsd = Parse.Money(get("spend")),
            }, line);
        }, "data", "logs");
    }

    /// <summary>Cached prompt tokens from <c>metadata.usage_object</c>: a JSON object, or its text in a CSV cell.</summary>
    private static long CachedTokens(JsonElement? json, string? metadataText)
    {
        JsonElement? Cached(JsonElement root) => JsonRecords.Get(root, "metadata", "usage_object", "prompt_tokens_details", "cached_tokens");
        if (json is { } j)
        {
            return Cached(j) is { ValueKind: JsonValueKind.Number } c ? c.GetInt64() : 0;
        }
        if (string.IsNullOrWhiteSpace(metadataText) || !metadataText.TrimStart().StartsWith('{'))
        {
            return 0;
        }
        try
        {
            using var document = JsonDocument.Parse("{\"metadata\":" + metadataText + "}");
            return Cached(document.RootElement) is { ValueKind: JsonValueKind.Number } c ? c.GetInt64() : 0;
        }
        catch (JsonException)
        {
            return 0;
        }
    }
}
