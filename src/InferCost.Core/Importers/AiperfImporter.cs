using System.Globalization;
using System.Text.Json;
using InferCost.Core.Diagnostics;
using InferCost.Core.Events;
using static InferCost.Core.Importers.JsonRecords;

namespace InferCost.Core.Importers;

/// <summary>
/// AIPerf's (GenAI-Perf's successor's) per-request <c>profile_export.jsonl</c>, in both schemas it has written:
/// <list type="bullet">
/// <item>current: <c>metadata.request_start_ns</c>, <c>request_end_ns</c>, <c>benchmark_phase</c>, <c>was_cancelled</c>;
/// metric <c>time_to_first_token</c>;</item>
/// <item>previous: <c>metadata.timestamp_ns</c> (the request's start) and <c>credit_phase</c>; metric <c>ttft</c>.</item>
/// </list>
/// Metrics are <c>{"value", "unit"}</c>: <c>request_latency</c> (ms), <c>input_sequence_length</c>,
/// <c>output_sequence_length</c> (reasoning included), <c>reasoning_token_count</c>, and the API-reported
/// <c>usage_*</c> counts, which win over AIPerf's own tokenizer counts where present (see <see cref="UsageMetrics"/>).
/// Warm-up records are left out unless <c>--include-warmup</c>. The records carry no concurrency: <c>--concurrency</c>
/// makes a fixed-concurrency run one group, else it is reconstructed from the intervals. The aggregate
/// <c>profile_export_aiperf.json</c> (either schema) and GenAI-Perf's classic export are recognised and refused.
/// </summary>
public sealed class AiperfImporter(string name) : IEventImporter
{
    public string Name => name;
    public string Description => name == "aiperf" ? "AIPerf profile_export.jsonl (per request)" : "GenAI-Perf / AIPerf per-request profile_export.jsonl";
    public string Versions => "AIPerf profile_export.jsonl, current schema (metadata.request_start_ns, benchmark_phase) and the previous one (metadata.timestamp_ns, credit_phase, metric ttft), with every usage_* metric; the aggregate profile_export_aiperf.json of either schema is refused";

    /// <summary>Every <c>usage_*</c> record metric AIPerf emits, and what it becomes. Counts that are parts of the
    /// prompt or completion (audio, tool-use, predictions) are already inside those totals.</summary>
    public static readonly IReadOnlyDictionary<string, string> UsageMetrics = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["usage_prompt_tokens"] = "inputTokens",
        ["usage_completion_tokens"] = "outputTokens",
        ["usage_reasoning_tokens"] = "reasoningTokens",
        ["usage_prompt_cache_read_tokens"] = "cachedInputTokens",
        ["usage_prompt_cache_write_tokens"] = "cacheWriteTokens",
        ["usage_prompt_cache_miss_tokens"] = "cachedInputTokens = usage_prompt_tokens − misses, when no cache-read count is given",
        ["usage_total_tokens"] = "not stored (prompt + completion)",
        ["usage_prompt_audio_tokens"] = "inside inputTokens",
        ["usage_prompt_audio_seconds"] = "not a token count",
        ["usage_completion_audio_tokens"] = "inside outputTokens",
        ["usage_accepted_prediction_tokens"] = "inside outputTokens",
        ["usage_rejected_prediction_tokens"] = "inside outputTokens",
        ["usage_tool_use_prompt_tokens"] = "inside inputTokens",
    };

    public bool Detect(ImportProbe probe) =>
        name == "aiperf" && (probe.HasKeys("metadata", "metrics") ||
                             (probe.FirstObjectKeys.Contains("request_latency") && probe.HeadText.Contains("\"unit\"", StringComparison.Ordinal)) ||
                             (probe.HasKeys("records") && probe.HeadText.Contains("\"tag\"", StringComparison.Ordinal) && probe.HeadText.Contains("\"unit\"", StringComparison.Ordinal)) ||
                             (probe.CsvHeader?.StartsWith("Metric,avg,", StringComparison.Ordinal) ?? false));

    private const string AggregateAdvice = "its percentiles cannot be recombined exactly; import profile_export.jsonl from the same artifacts folder (one record per request)";

    public long Read(Stream content, ImportContext context)
    {
        var bytes = Reading.JsonText.ReadAll(content);
        if (Encoding.StartsWith(bytes, "Metric,"))
        {
            context.Error(0, null, null, "is AIPerf's aggregate CSV (profile_export_aiperf.csv): " + AggregateAdvice);
            return 0;
        }
        string? model = null, provider = null, route = null, workload = null;
        long? concurrency = null;
        var resolved = false;
        long warmup = 0, fromUsage = 0, disjoint = 0, fromMisses = 0, unreadable = 0, firstUnreadable = 0;
        var schemas = new SortedSet<string>(StringComparer.Ordinal);
        var unknownUsage = new SortedSet<string>(StringComparer.Ordinal);
        var refused = false;
        var records = Records(new MemoryStream(bytes), context, (r, line) =>
        {
            if (refused)
            {
                return;
            }
            if (Get(r, "metadata") is null)
            {
                refused = true;
                context.Error(line, null, null, AggregateKind(r) is { } kind
                    ? $"is AIPerf's aggregate export (profile_export_aiperf.json, {kind}): {AggregateAdvice}"
                    : Get(r, "experiments") is not null
                        ? "is GenAI-Perf's classic profile_export.json, which has no token counts; import AIPerf's per-request profile_export.jsonl"
                        : "is not an AIPerf record (no metadata object)");
                return;
            }
            var current = Num(r, "metadata", "request_start_ns");
            var previous = current is null ? Num(r, "metadata", "timestamp_ns") : null;
            if (current is null && previous is null)
            {
                if (unreadable++ == 0)
                {
                    firstUnreadable = line;
                }
                return;
            }
            schemas.Add(current is not null
                ? "AIPerf current schema (metadata.request_start_ns, benchmark_phase)"
                : "AIPerf previous schema (metadata.timestamp_ns, credit_phase)");
            if ((Str(r, "metadata", "benchmark_phase") ?? Str(r, "metadata", "credit_phase")) is "warmup" && !context.IncludeWarmup)
            {
                warmup++;
                return;
            }
            if (!resolved)
            {
                resolved = true;
                model = context.Model(Str(r, "metadata", "model_name"));
                provider = context.Provider(model);
                route = context.Route(model);
                workload = context.Workload(model);
                concurrency = context.ConcurrencyOr(null, string.Empty);
            }
            if (model is null || provider is null || route is null || workload is null)
            {
                return;
            }
            double? M(string metric) => Num(r, "metrics", metric, "value");
            foreach (var metric in Get(r, "metrics")?.EnumerateObject() ?? default)
            {
                if (metric.Name.StartsWith("usage_", StringComparison.Ordinal) && !UsageMetrics.ContainsKey(metric.Name))
                {
                    unknownUsage.Add(metric.Name);
                }
            }
            var startNs = current ?? previous!.Value;
            var endNs = Num(r, "metadata", "request_end_ns");
            var error = Get(r, "error");
            var cancelled = Bool(r, "metadata", "was_cancelled") == true || (error is { } er && Str(er, "type") == "RequestCancellationError");
            var errorType = error is { } et ? Str(et, "type") ?? string.Empty : string.Empty;
            var status = cancelled ? EventStatus.Cancelled
                : error is null ? EventStatus.Ok
                : Long(error.Value, "code") == 429 ? EventStatus.RateLimited
                : errorType.Contains("Timeout", StringComparison.OrdinalIgnoreCase) ? EventStatus.Timeout
                : EventStatus.Error;
            var latency = M("request_latency") ?? (endNs is { } e ? (e - startNs) / 1e6 : 0);

            var prompt = Count(M("usage_prompt_tokens"));
            var input = prompt ?? Count(M("input_sequence_length")) ?? Count(M("error_isl")) ?? 0;
            var completion = Count(M("usage_completion_tokens"));
            var output = completion ?? Count(M("output_sequence_length")) ?? Count(M("output_token_count")) ?? 0;
            if (prompt is not null || completion is not null)
            {
                fromUsage++;
            }
            var cached = Count(M("usage_prompt_cache_read_tokens"));
            if (cached is null && prompt is { } p && Count(M("usage_prompt_cache_miss_tokens")) is { } misses && misses <= p)
            {
                cached = p - misses;
                fromMisses++;
            }
            var written = Count(M("usage_prompt_cache_write_tokens")) ?? 0;
            if ((cached ?? 0) + written > input)
            {
                // Anthropic-shaped usage: input_tokens excludes the cache reads and writes, which InferCost counts inside.
                input += (cached ?? 0) + written;
                disjoint++;
            }
            context.Emit(new RequestEvent
            {
                RequestId = Str(r, "metadata", "x_request_id") ?? Str(r, "metadata", "x_correlation_id") ?? $"aiperf-{line}",
                StartedAt = FromEpoch(startNs),
                LatencyMs = status == EventStatus.Ok ? latency : Math.Max(0, latency),
                Route = route,
                Provider = provider,
                Model = model,
                Workload = workload,
                InputTokens = input,
                CachedInputTokens = cached ?? 0,
                CacheWriteTokens = written,
                OutputTokens = output,
                ReasoningTokens = Count(M("usage_reasoning_tokens")) ?? Count(M("reasoning_token_count")),
                TtftMs = M("time_to_first_token") ?? M("ttft"),
                Status = status,
                Concurrency = concurrency,
            }, line);
        });
        if (unreadable > 0)
        {
            context.Diagnostics.Add(Diagnostic.Error(firstUnreadable, null, "metadata", null,
                $"has neither request_start_ns (current AIPerf) nor timestamp_ns (previous AIPerf) in {N(unreadable)} records: an AIPerf schema InferCost cannot read"));
        }
        foreach (var schema in schemas)
        {
            context.Declare("version: " + schema);
        }
        if (warmup > 0)
        {
            context.Declare($"{N(warmup)} warm-up records left out, as AIPerf's own metrics leave them out; --include-warmup keeps them");
        }
        if (fromUsage > 0)
        {
            context.Declare($"tokens of {N(fromUsage)} records from the API's usage (usage_prompt_tokens, usage_completion_tokens) rather than AIPerf's tokenizer counts");
        }
        if (fromMisses > 0)
        {
            context.Declare($"cachedInputTokens of {N(fromMisses)} records = usage_prompt_tokens − usage_prompt_cache_miss_tokens");
        }
        if (disjoint > 0)
        {
            context.Declare($"inputTokens of {N(disjoint)} records = usage_prompt_tokens + cache reads + cache writes (the API counted them apart, as Anthropic does)");
        }
        foreach (var metric in unknownUsage)
        {
            context.Diagnostics.Add(Diagnostic.Warning(0, null, "metrics." + metric, null, "is a usage metric InferCost does not know, so it was not used"));
        }
        return records;
    }

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static long? Count(double? value) => value is { } v && double.IsFinite(v) ? (long)Math.Round(v) : null;

    /// <summary>Which aggregate schema a metadata-less object is, or null when it is not an AIPerf aggregate.</summary>
    private static string? AggregateKind(JsonElement r)
    {
        if (Get(r, "records") is { ValueKind: JsonValueKind.Object } previous && previous.EnumerateObject().Any(m => Get(m.Value, "tag") is not null))
        {
            return "previous schema, metrics under \"records\"";
        }
        var metricAtTop = r.ValueKind == JsonValueKind.Object && r.EnumerateObject().Any(m => m.Value.ValueKind == JsonValueKind.Object && Get(m.Value, "unit") is not null && Get(m.Value, "avg") is not null);
        return metricAtTop || Get(r, "input_config") is not null ? "current schema, metrics at the top level" : null;
    }

    private static class Encoding
    {
        public static bool StartsWith(byte[] bytes, string text)
        {
            var span = bytes.AsSpan();
            if (span.StartsWith("\uFEFF"u8))
            {
                span = span[3..];
            }
            return span.StartsWith(System.Text.Encoding.UTF8.GetBytes(text));
        }
    }
}
