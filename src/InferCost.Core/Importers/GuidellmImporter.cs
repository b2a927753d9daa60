using System.Globalization;
using System.Text.Json;
using InferCost.Core.Events;
using static InferCost.Core.Importers.JsonRecords;

namespace InferCost.Core.Importers;

/// <summary>
/// GuideLLM's <c>benchmarks.json</c>, in the two layouts its releases write:
/// <list type="bullet">
/// <item>0.5 (current): <c>benchmarks[].config</c> (<c>backend.model</c>, <c>strategy</c>), <c>scheduler_metrics</c>
/// (<c>measure_start_time</c> … <c>measure_end_time</c>, the window GuideLLM's own metrics count) and per request
/// <c>request_start_time</c>, <c>request_end_time</c>, <c>request_latency</c> (s), <c>time_to_first_token_ms</c>,
/// <c>prompt_tokens</c>, <c>output_tokens</c> and <c>info.timings.*</c> (epoch seconds).</item>
/// <item>0.3 and 0.4: <c>benchmarks[].args.strategy</c>, <c>worker.backend_model</c>, <c>run_stats</c> and per request
/// <c>start_time</c>, <c>end_time</c>, <c>first_token_time</c> (epoch seconds).</item>
/// </list>
/// Errored requests are errors, incomplete ones cancelled. By default only the requests that overlap the measured
/// window are imported (the rest are warm-up and cool-down; <c>--include-warmup</c> keeps them). Concurrency is the
/// strategy's (concurrent: its <c>streams</c>; synchronous: 1), else <c>--concurrency</c>, else reconstructed.
/// The 0.1/0.2 report (<c>text_generation_benchmark</c>) is recognised and refused.
/// </summary>
public sealed class GuidellmImporter : IEventImporter
{
    public string Name => "guidellm";
    public string Description => "GuideLLM benchmarks.json";
    public string Versions => "GuideLLM 0.5 (config / scheduler_metrics / info.timings) and 0.3–0.4 (args / run_stats / start_time); 0.1–0.2 reports are refused";

    public bool Detect(ImportProbe probe) => probe.HasKeys("benchmarks") &&
        (probe.HeadText.Contains("generative", StringComparison.Ordinal) || probe.HeadText.Contains("text_generation_benchmark", StringComparison.Ordinal));

    private enum Layout { V05, V03, Old, Unknown }

    private static Layout LayoutOf(JsonElement benchmark) =>
        Str(benchmark, "type_") is { } type && type.StartsWith("text_generation_benchmark", StringComparison.Ordinal) || Get(benchmark, "benchmarks") is not null ? Layout.Old
        : Get(benchmark, "config") is not null && Get(benchmark, "scheduler_metrics") is not null ? Layout.V05
        : Get(benchmark, "run_stats") is not null || Get(benchmark, "worker") is not null || Get(benchmark, "args") is not null ? Layout.V03
        : Layout.Unknown;

    public long Read(Stream content, ImportContext context)
    {
        using var document = Document(content, context);
        if (document is null)
        {
            return 0;
        }
        if (Get(document.RootElement, "benchmarks") is not { ValueKind: JsonValueKind.Array } benchmarks)
        {
            context.Error(0, null, null, "has no \"benchmarks\" array");
            return 0;
        }
        long count = 0, outside = 0;
        var layouts = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var benchmark in benchmarks.EnumerateArray())
        {
            var layout = LayoutOf(benchmark);
            if (layout is Layout.Old or Layout.Unknown)
            {
                context.Error(0, "benchmarks", null, layout == Layout.Old
                    ? "is a GuideLLM 0.1/0.2 report (text_generation_benchmark), a version InferCost cannot read: rerun with GuideLLM 0.3 or later"
                    : "has neither GuideLLM 0.5's config/scheduler_metrics nor 0.3–0.4's args/run_stats, a GuideLLM version InferCost cannot read");
                return count;
            }
            layouts.Add(layout == Layout.V05 ? "GuideLLM 0.5 layout (config, scheduler_metrics, info.timings)" : "GuideLLM 0.3–0.4 layout (args, run_stats)");
            var v05 = layout == Layout.V05;
            var model = context.Model(v05
                ? Str(benchmark, "config", "backend", "model") ?? Str(document.RootElement, "args", "model")
                : Str(benchmark, "worker", "backend_model") ?? Str(benchmark, "args", "model"));
            var provider = context.Provider(model);
            var route = context.Route(model);
            var workload = context.Workload(model);
            var strategy = v05 ? Get(benchmark, "config", "strategy") : Get(benchmark, "args", "strategy") ?? Get(benchmark, "settings", "strategy");
            var type = strategy is { } s ? Str(s, "type_") : null;
            var concurrency = context.ConcurrencyOr(
                type == "concurrent" ? Long(strategy!.Value, "streams") : type == "synchronous" ? 1 : null,
                $"GuideLLM's {type} strategy");
            var runId = v05 ? Str(benchmark, "config", "id_") ?? Str(benchmark, "config", "run_id") : Str(benchmark, "id_") ?? Str(benchmark, "run_id");
            // GuideLLM 0.5 counts only the requests that overlap its measured window; 0.3–0.4 wrote only those.
            var measureStart = v05 ? Num(benchmark, "scheduler_metrics", "measure_start_time") : null;
            var measureEnd = v05 ? Num(benchmark, "scheduler_metrics", "measure_end_time") : null;
            var window = measureStart is { } ms && measureEnd is { } me && me > ms && !context.IncludeWarmup ? (ms, me) : ((double, double)?)null;
            if (Get(benchmark, "requests") is not { } requests)
            {
                context.Error(0, "requests", null, "is missing: this GuideLLM output holds only aggregates, which cannot be recombined exactly");
                continue;
            }
            foreach (var (bucket, status) in new[] { ("successful", EventStatus.Ok), ("errored", EventStatus.Error), ("incomplete", EventStatus.Cancelled) })
            {
                if (Get(requests, bucket) is not { ValueKind: JsonValueKind.Array } list)
                {
                    continue;
                }
                foreach (var r in list.EnumerateArray())
                {
                    count++;
                    var timing = v05 ? V05Timing(r) : V03Timing(r);
                    if (timing is null)
                    {
                        context.Error(count, v05 ? "request_start_time" : "start_time", null, "is missing: the request has no start time");
                        continue;
                    }
                    var (start, end, latencyS, ttftMs) = timing.Value;
                    if (window is { } w && (end <= w.Item1 || start >= w.Item2))
                    {
                        outside++;
                        continue;
                    }
                    if (model is null || provider is null || route is null || workload is null)
                    {
                        continue;
                    }
                    var input = Long(r, "prompt_tokens") ?? Long(r, "input_metrics", "text_tokens") ?? 0;
                    context.Emit(new RequestEvent
                    {
                        RequestId = Str(r, "request_id") ?? $"guidellm-{count}",
                        StartedAt = EventTime.FromEpochMs(start * 1000),
                        LatencyMs = Math.Max(0, latencyS * 1000),
                        Route = route,
                        Provider = provider,
                        Model = model,
                        Workload = workload,
                        InputTokens = input,
                        // Newer 0.5 builds record the server's prefix-cache hits per request.
                        CachedInputTokens = Math.Min(input, Long(r, "input_metrics", "cached_tokens") ?? 0),
                        OutputTokens = Long(r, "output_tokens") ?? Long(r, "output_metrics", "text_tokens") ?? 0,
                        TtftMs = status == EventStatus.Ok ? ttftMs : null,
                        Status = status,
                        Concurrency = concurrency,
                        RunId = runId,
                    }, count);
                }
            }
        }
        foreach (var layout in layouts)
        {
            context.Declare("version: " + layout);
        }
        if (outside > 0)
        {
            context.Declare($"{outside.ToString(CultureInfo.InvariantCulture)} warm-up/cool-down requests outside GuideLLM's measured window (scheduler_metrics.measure_start_time … measure_end_time) left out, as GuideLLM's own metrics leave them out; --include-warmup keeps them");
        }
        return count;
    }

    /// <summary>0.5: the computed fields when present, else <c>info.timings</c> (request_start falls back to
    /// resolve_start, as GuideLLM's own <c>request_start_time</c> does).</summary>
    private static (double Start, double End, double LatencyS, double? TtftMs)? V05Timing(JsonElement r)
    {
        var start = Num(r, "request_start_time") ?? Num(r, "info", "timings", "request_start") ?? Num(r, "info", "timings", "resolve_start");
        if (start is null)
        {
            return null;
        }
        var end = Num(r, "request_end_time") ?? Num(r, "info", "timings", "request_end") ?? Num(r, "info", "timings", "resolve_end") ?? start.Value;
        var latency = Num(r, "request_latency") ?? end - start.Value;
        var first = Num(r, "info", "timings", "first_token_iteration");
        var ttft = Num(r, "time_to_first_token_ms") ?? (first is { } f && f >= start ? (f - start.Value) * 1000 : null);
        return (start.Value, end, latency, ttft);
    }

    private static (double Start, double End, double LatencyS, double? TtftMs)? V03Timing(JsonElement r)
    {
        var start = Num(r, "start_time") ?? Num(r, "scheduler_info", "request_timings", "request_start");
        if (start is null)
        {
            return null;
        }
        var end = Num(r, "end_time") ?? start.Value;
        var first = Num(r, "first_token_time");
        return (start.Value, end, end - start.Value, first is { } f && f >= start ? (f - start.Value) * 1000 : null);
    }
}
