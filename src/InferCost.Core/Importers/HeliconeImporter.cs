using InferCost.Core.Events;

namespace InferCost.Core.Importers;

/// <summary>
/// Helicone request exports (CSV or JSON): <c>request_id</c>, <c>request_created_at</c>, <c>latency</c> (ms),
/// <c>time_to_first_token</c> (ms), <c>prompt_tokens</c>, <c>prompt_cache_read_tokens</c>,
/// <c>prompt_cache_write_tokens</c>, <c>completion_tokens</c>, <c>model</c>, <c>provider</c>, <c>status</c>
/// (HTTP) and <c>cost</c>, which Helicone stores as USD × 10^9 (an integer); a plain-USD <c>cost_usd</c> is used
/// when present. Helicone's <c>prompt_tokens</c> follows the provider: for Anthropic it excludes cache reads and
/// writes (added back here), for others it includes them.
/// </summary>
public sealed class HeliconeImporter : IEventImporter
{
    public string Name => "helicone";
    public string Description => "Helicone request export (CSV or JSON)";
    public string Versions => "Helicone request export, CSV or JSON (the columns of its current web export)";

    public bool Detect(ImportProbe probe) =>
        (probe.HasKeys("request_id", "request_created_at") && (probe.FirstObjectKeys.Contains("latency") || probe.FirstObjectKeys.Contains("prompt_tokens"))) ||
        probe.HasColumns("request_id", "request_created_at", "latency");

    public long Read(Stream content, ImportContext context)
    {
        return FlatRecords.Read(content, context, (get, _, line) =>
        {
            var model = context.Model(get("model") ?? get("request_model") ?? get("response_model"));
            var provider = context.Provider(model, get("provider"));
            var route = context.Route(model);
            var workload = context.Workload(model);
            if (route is null || workload is null || provider is null || model is null)
            {
                return;
            }
            var start = Parse.Time(get("request_created_at"));
            if (start is null)
            {
                context.Error(line, "request_created_at", get("request_created_at"), "is missing or not a timestamp");
                return;
            }
            var read = Parse.Count(get("prompt_cache_read_tokens")) ?? 0;
            var write = Parse.Count(get("prompt_cache_write_tokens")) ?? 0;
            var prompt = Parse.Count(get("prompt_tokens")) ?? 0;
            var exclusive = provider.Contains("anthropic", StringComparison.OrdinalIgnoreCase);
            var http = Parse.Count(get("status") ?? get("response_status"));
            var ttft = Parse.Number(get("time_to_first_token"));
            var cost = Parse.Money(get("cost_usd")) ?? (Parse.Money(get("cost")) is { } scaled ? scaled / 1_000_000_000m : null);
            context.Emit(new RequestEvent
            {
                RequestId = get("request_id") ?? $"helicone-{line}",
                StartedAt = start.Value,
                LatencyMs = Parse.Number(get("latency")) ?? 0,
                Route = route,
                Provider = provider,
                Model = model,
                Workload = workload,
                InputTokens = prompt + (exclusive ? read + write : 0),
                CachedInputTokens = read,
                CacheWriteTokens = write,
                OutputTokens = Parse.Count(get("completion_tokens")) ?? 0,
                TtftMs = ttft is > 0 ? ttft : null,
                Status = http is null or < 400 ? EventStatus.Ok : http == 429 ? EventStatus.RateLimited : http is 408 or 504 ? EventStatus.Timeout : EventStatus.Error,
                CostUsd = cost,
            }, line);
        }, "data");
    }
}
