using System.Globalization;
using System.Text.Json;
using InferCost.Core.Events;
using static InferCost.Core.Importers.JsonRecords;

namespace InferCost.Core.Importers;

/// <summary>
/// <c>vllm bench serve --save-result --save-detailed</c> (and the older <c>benchmarks/benchmark_serving.py</c>):
/// per-request <c>input_lens</c>, <c>output_lens</c>, <c>ttfts</c> (s), <c>itls</c> (s, per request) and
/// <c>errors</c>. A request's latency is its TTFT plus its inter-token gaps, as vLLM measures it. The result has no
/// per-request start times, so every request starts at the result's <c>date</c>, and concurrency is the run's
/// <c>max_concurrency</c> (or <c>--concurrency</c>). A result without the detailed arrays holds only aggregates,
/// which cannot be recombined into exact percentiles: it is refused with the way to get the detailed one.
/// </summary>
public sealed class VllmBenchImporter : IEventImporter
{
    public string Name => "vllm-bench";
    public string Description => "vLLM bench serve result JSON (--save-detailed)";
    public string Versions => "vllm bench serve and benchmarks/benchmark_serving.py --save-result --save-detailed JSON";

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
            var goodput = Num(root, "request_goodput") ?? Num(root, "request_goodput:");
            context.Error(0, null, null,
                $"is a vLLM benchmark summary without per-request arrays ({Num(root, "completed") ?? 0} requests" +
                (goodput is { } g ? $", goodput {g.ToString("0.##", CultureInfo.InvariantCulture)} req/s" : string.Empty) +
                "): its percentiles cannot be recombined exactly; re-run vllm bench serve with --save-result --save-detailed");
            return 0;
        }
        var model = context.Model(Str(root, "model_id"));
        var provider = context.Provider(model);
        var route = context.Route(model);
        var workload = context.Workload(model);
        var concurrency = Long(root, "max_concurrency") ?? context.Concurrency();
        var date = Str(root, "date");
        var started = date is not null && DateTime.TryParseExact(date, "yyyyMMdd-HHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)
            ? new DateTimeOffset(d, TimeSpan.Zero)
            : DateTimeOffset.UnixEpoch;
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
}
