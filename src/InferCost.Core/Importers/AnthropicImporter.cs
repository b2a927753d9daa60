using InferCost.Core.Contract;
using InferCost.Core.Events;
using static InferCost.Core.Importers.JsonRecords;

namespace InferCost.Core.Importers;

/// <summary>
/// Anthropic Message Batch results JSONL (<c>custom_id</c>, <c>result.type</c> succeeded | errored | canceled |
/// expired, <c>result.message</c>) and saved Messages objects. Anthropic's <c>input_tokens</c> excludes cache reads
/// and writes, so InferCost's inputTokens = <c>input_tokens + cache_read_input_tokens + cache_creation_input_tokens</c>,
/// cachedInputTokens = <c>cache_read_input_tokens</c>, cacheWriteTokens = <c>cache_creation_input_tokens</c>.
/// Batch results are batch-eligible and carry no latency or timestamps (declared). The route defaults to the managed
/// frontier API and the provider to Anthropic (both declared; flags or a mapping override them).
/// </summary>
public sealed class AnthropicImporter : IEventImporter
{
    public string Name => "anthropic";
    public string Description => "Anthropic Message Batch results JSONL or Messages objects";
    public string Versions => "Anthropic Message Batches results and Messages API objects (API version 2023-06-01, the current one)";

    public bool Detect(ImportProbe probe) =>
        (probe.HasKeys("custom_id", "result") && probe.HeadText.Contains("\"type\"", StringComparison.Ordinal)) ||
        (probe.HasKeys("type", "usage", "model") && probe.HeadText.Contains("\"message\"", StringComparison.Ordinal));

    public long Read(Stream content, ImportContext context)
    {
        string? fallbackModel = null;
        var declared = false;
        return Records(content, context, (r, line) =>
        {
            var isBatch = Get(r, "custom_id") is not null;
            if (isBatch && !declared)
            {
                declared = true;
                context.Declare("batch = true (batch results are batch-eligible by definition)");
                context.NotLogged("latencyMs = 0 and startedAt = 1970-01-01 (batch results carry no timing)", "latencyMs", "startedAt");
            }
            var message = isBatch ? Get(r, "result", "message") : r;
            var type = isBatch ? Str(r, "result", "type") : "succeeded";
            var status = type switch
            {
                "succeeded" => EventStatus.Ok,
                "canceled" => EventStatus.Cancelled,
                "expired" => EventStatus.Timeout,
                _ => Str(r, "result", "error", "error", "type") == "rate_limit_error" ? EventStatus.RateLimited : EventStatus.Error,
            };
            var model = message is { } m ? Str(m, "model") : null;
            fallbackModel = model ?? fallbackModel;
            model ??= fallbackModel ?? context.Model();
            var route = context.RouteOrDefault(model, Routes.ManagedFrontierApi, "Anthropic's API");
            var provider = context.ProviderOrDefault(model, "Anthropic", "Anthropic's API");
            var workload = context.Workload(model);
            if (model is null || route is null || provider is null || workload is null)
            {
                return;
            }
            long U(string key) => message is { } mm ? Long(mm, "usage", key) ?? 0 : 0;
            var read = U("cache_read_input_tokens");
            var write = U("cache_creation_input_tokens");
            context.Emit(new RequestEvent
            {
                RequestId = Str(r, "custom_id") ?? (message is { } id ? Str(id, "id") : null) ?? $"anthropic-{line}",
                StartedAt = DateTimeOffset.UnixEpoch,
                LatencyMs = 0,
                Route = route,
                Provider = provider,
                Model = model,
                Workload = workload,
                InputTokens = U("input_tokens") + read + write,
                CachedInputTokens = read,
                CacheWriteTokens = write,
                OutputTokens = U("output_tokens"),
                Status = status,
                Batch = isBatch,
            }, line);
        });
    }
}
