using System.Text.Json;
using InferCost.Core.Events;
using static InferCost.Core.Importers.JsonRecords;

namespace InferCost.Core.Importers;

/// <summary>
/// GuideLLM's <c>benchmarks.json</c>: <c>benchmarks[].requests.successful|errored|incomplete[]</c>, each with
/// <c>request_id</c>, <c>prompt_tokens</c>, <c>output_tokens</c>, <c>start_time</c>, <c>end_time</c> and
/// <c>first_token_time</c> (epoch seconds). Errored requests are errors, incomplete ones cancelled. Concurrency is the
/// concurrent strategy's <c>streams</c> when the benchmark ran one, else reconstructed from the intervals.
/// </summary>
public sealed class GuidellmImporter : IEventImporter
{
    public string Name => "guidellm";
    public string Description => "GuideLLM benchmarks.json";

    public bool Detect(ImportProbe probe) => probe.HasKeys("benchmarks") && probe.HeadText.Contains("generative", StringComparison.Ordinal);

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
        long count = 0;
        foreach (var benchmark in benchmarks.EnumerateArray())
        {
            var model = context.Model(Str(benchmark, "worker", "backend_model") ?? Str(benchmark, "args", "model"));
            var provider = context.Provider(model);
            var route = context.Route(model);
            var workload = context.Workload(model);
            var strategy = Get(benchmark, "args", "strategy") ?? Get(benchmark, "settings", "strategy");
            long? concurrency = strategy is { } s && Str(s, "type_") == "concurrent" ? Long(s, "streams") : null;
            var runId = Str(benchmark, "id_") ?? Str(benchmark, "run_id");
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
                    if (model is null || provider is null || route is null || workload is null)
                    {
                        continue;
                    }
                    var start = Num(r, "start_time") ?? Num(r, "scheduler_info", "request_timings", "request_start") ?? 0;
                    var end = Num(r, "end_time") ?? start;
                    var first = Num(r, "first_token_time");
                    context.Emit(new RequestEvent
                    {
                        RequestId = Str(r, "request_id") ?? $"guidellm-{count}",
                        StartedAt = EventTime.FromEpochMs(start * 1000),
                        LatencyMs = Math.Max(0, (end - start) * 1000),
                        Route = route,
                        Provider = provider,
                        Model = model,
                        Workload = workload,
                        InputTokens = Long(r, "prompt_tokens") ?? 0,
                        OutputTokens = Long(r, "output_tokens") ?? 0,
                        TtftMs = status == EventStatus.Ok && first is { } f && f >= start ? (f - start) * 1000 : null,
                        Status = status,
                        Concurrency = concurrency,
                        RunId = runId,
                    }, count);
                }
            }
        }
        return count;
    }
}
