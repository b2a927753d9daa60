using System.Globalization;
using System.Text.Json;
using InferCost.Core.Contract;
using InferCost.Core.Events;
using static InferCost.Core.Importers.JsonRecords;

namespace InferCost.Core.Importers;

/// <summary>
/// <c>vllm bench serve --save-result --save-detailed</c> (and the older <c>benchmarks/benchmark_serving.py</c>):
/// per-request <c>input_lens</c>, <c>output_lens</c>, <c>ttfts</c> (s), <c>itls</c> (s, per request) and
/// <c>errors</c>. A request's latency is its TTFT plus its inter-token gaps, as vLLM measures it. The result has no
/// per-request start times, so every request starts at the result's <c>date</c>, and concurrency is the run's
/// <c>max_concurrency</c> (or <c>--concurrency</c>). A result without the detailed arrays (the common one) becomes one
/// contract row when it has the p50 and p95 of end-to-end latency (<c>--percentile-metrics …e2el</c> with
/// <c>--metric-percentiles 50,95,…</c>); otherwise it is refused naming those flags. An all-failed result says how many failed.
/// </summary>
public sealed class VllmBenchImporter : IEventImporter
{
    public string Name => "vllm-bench";
    public string Description => "vLLM bench serve result JSON";
    public string Versions => "vllm bench serve and benchmarks/benchmark_serving.py --save-result JSON: with --save-detailed (request events), or the summary (one contract row) when it has p50 and p95 of e2el";

    public bool Detect(ImportProbe probe) =>
        probe.HasKeys("completed") && (probe.FirstObjectKeys.Contains("mean_ttft_ms") || probe.FirstObjectKeys.Contains("ttfts") ||
                                       probe.FirstObjectKeys.Contains("request_throughput"));

    public long Read(Stream content, ImportContext context)
    {
        using var document = Document(content, context);
        if (document is null)
        {
            return 0;
        }
        var root = document.RootElement;
        if (Get(root, "ttfts") is not { ValueKind: JsonValueKind.Array } ttfts || Get(root, "input_lens") is not { } inputs || Get(root, "output_lens") is not { } outputs)
        {
            return Summary(root, context);
        }
        context.Declare("version: vLLM bench result with --save-detailed (per-request arrays)");
        var model = context.Model(Str(root, "model_id"));
        var provider = context.Provider(model);
        var route = context.Route(model);
        var workload = context.Workload(model);
        var concurrency = context.ConcurrencyOr(Long(root, "max_concurrency"), "the run's max_concurrency") ?? context.Concurrency();
        var date = Str(root, "date");
        var started = DateOf(date) ?? DateTimeOffset.UnixEpoch;
        context.Declare($"startedAt = the result's date ({EventTime.Format(started)}) for every request: vLLM does not save per-request start times");
        if (model is null || provider is null || route is null || workload is null)
        {
            return ttfts.GetArrayLength();
        }
        var itls = Get(root, "itls");
        var errors = Get(root, "errors");
        var count = ttfts.GetArrayLength();
        for (var i = 0; i < count; i++)
        {
            var error = errors is { ValueKind: JsonValueKind.Array } e && i < e.GetArrayLength() ? e[i].GetString() : null;
            var ttft = ttfts[i].GetDouble() * 1000;
            var gaps = itls is { ValueKind: JsonValueKind.Array } it && i < it.GetArrayLength() ? it[i].EnumerateArray().Sum(x => x.GetDouble()) * 1000 : 0;
            var failed = !string.IsNullOrEmpty(error);
            context.Emit(new RequestEvent
            {
                RequestId = $"{date ?? "vllm"}-{i}",
                StartedAt = started,
                LatencyMs = failed ? 0 : ttft + gaps,
                Route = route,
                Provider = provider,
                Model = model,
                Workload = workload,
                InputTokens = inputs[i].GetInt64(),
                OutputTokens = failed ? 0 : outputs[i].GetInt64(),
                TtftMs = failed ? null : ttft,
                Status = failed ? EventStatus.Error : EventStatus.Ok,
                Concurrency = concurrency,
                RunId = date,
            }, i + 1);
        }
        return count;
    }

    /// <summary>The result's date (<c>yyyyMMdd-HHmmss</c>, local to the machine that ran it; read as UTC), or null.</summary>
    private static DateTimeOffset? DateOf(string? date) =>
        date is not null && DateTime.TryParseExact(date, "yyyyMMdd-HHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)
            ? new DateTimeOffset(d, TimeSpan.Zero)
            : null;

    /// <summary>The flags that make <c>vllm bench serve</c> save the end-to-end percentiles a contract row needs.</summary>
    public const string PercentileFlags = "--metric-percentiles 50,95,99 --percentile-metrics ttft,tpot,e2el";

    /// <summary>A result without per-request arrays: one contract row when it has the p50 and p95 of end-to-end latency
    /// (its percentiles are vLLM's own, over its requests; a row, not events, so they are never recombined), else refused
    /// with the flags to rerun with.</summary>
    private static long Summary(JsonElement root, ImportContext context)
    {
        var completed = Long(root, "completed") ?? 0;
        var failed = Long(root, "failed") ?? (Long(root, "num_prompts") is { } prompts && prompts > completed ? prompts - completed : null);
        if (completed == 0)
        {
            context.Error(0, "completed", "0", failed is { } f && f > 0
                ? $"is 0: all {f.ToString(CultureInfo.InvariantCulture)} requests of this vLLM benchmark failed, so it has no latency to import (see the server's log for why)"
                : "is 0: this vLLM benchmark completed no requests, so it has no latency to import");
            return 0;
        }
        var p50 = Num(root, "p50_e2el_ms") ?? Num(root, "median_e2el_ms");
        var p95 = Num(root, "p95_e2el_ms");
        if (p50 is null || p95 is null)
        {
            var goodput = Num(root, "request_goodput") ?? Num(root, "request_goodput:");
            context.Error(0, "p95_e2el_ms", null,
                $"is missing: this vLLM bench summary ({completed.ToString(CultureInfo.InvariantCulture)} requests" +
                (goodput is { } g ? $", goodput {g.ToString("0.##", CultureInfo.InvariantCulture)} req/s" : string.Empty) +
                $") has no p50 and p95 of end-to-end latency, which a contract row needs; re-run vllm bench serve --save-result with {PercentileFlags} (one contract row), or add --save-detailed (request events)");
            return 1;
        }
        var model = context.Model(Str(root, "model_id"));
        var provider = context.Provider(model);
        var route = context.Route(model);
        var workload = context.Workload(model);
        var concurrency = context.ConcurrencyOr(Long(root, "max_concurrency"), "the run's max_concurrency") ?? context.Concurrency();
        if (model is null || provider is null || route is null || workload is null || concurrency is null)
        {
            return 1;
        }
        context.Declare($"version: vLLM bench summary without --save-detailed (one contract row; percentiles are vLLM's own over {completed.ToString(CultureInfo.InvariantCulture)} requests)");
        var p99 = Num(root, "p99_e2el_ms");
        if (p50 > p95 || (p99 is { } x && p95 > x))
        {
            context.Error(0, "p95_e2el_ms", p95.Value.ToString("R", CultureInfo.InvariantCulture), "is out of order with p50/p99 of e2el: the percentiles cannot be right");
            return 1;
        }
        var ttft = Num(root, "median_ttft_ms") ?? Num(root, "p50_ttft_ms");
        if (ttft is null)
        {
            context.Declare("ttftMs = 0 (the summary has no TTFT statistics)");
        }
        var tpot = Num(root, "mean_tpot_ms");
        var perStream = tpot is > 0 ? 1000 / tpot.Value : (Num(root, "output_throughput") ?? 0) / concurrency.Value;
        context.Declare(tpot is > 0
            ? "outputTokensPerSecond = 1000 / mean_tpot_ms (per stream)"
            : "outputTokensPerSecond = output_throughput / concurrency (the summary has no TPOT)");
        context.Declare("acceptedOutputRate = 1 (vLLM bench judges no outputs: every completed request counts as accepted)");
        context.Declare("cacheHitRate = 0 (vLLM bench records no prompt-cache hits)");
        context.EmitRow(new TraceRow
        {
            Route = route,
            Provider = provider,
            Model = model,
            Workload = workload,
            InputTokens = (Num(root, "total_input_tokens") ?? 0) / completed,
            OutputTokens = (Num(root, "total_output_tokens") ?? 0) / completed,
            CacheHitRate = 0,
            BatchEligible = false,
            Concurrency = concurrency.Value,
            TtftMs = Math.Min(ttft ?? 0, p50.Value),
            LatencyP50Ms = p50.Value,
            LatencyP95Ms = p95.Value,
            LatencyP99Ms = p99,
            OutputTokensPerSecond = perStream,
            AcceptedOutputRate = 1,
            CostUsd = null,
            ReviewMinutes = 0,
            Requests = completed,
            ErrorRate = failed is { } n ? (double)n / (completed + n) : null,
            MeasuredAt = DateOf(Str(root, "date")),
            WindowSeconds = Num(root, "duration"),
            Notes = "vLLM bench serve summary (percentileSource row)",
        }, 1);
        return 1;
    }
}
