using System.Text.Json;
using InferCost.Core.Events;
using static InferCost.Core.Importers.JsonRecords;

namespace InferCost.Core.Importers;

/// <summary>
/// llmperf's <c>*_individual_responses.json</c>: one object per request with <c>end_to_end_latency_s</c>,
/// <c>ttft_s</c>, <c>number_input_tokens</c>, <c>number_output_tokens</c>, <c>error_code</c> and <c>error_msg</c>.
/// llmperf logs neither start times nor the model per request: the model and concurrency
/// (<c>--num-concurrent-requests</c>) come from flags. A <c>*_summary.json</c> holds only aggregates and is refused.
/// </summary>
public sealed class LlmperfImporter : IEventImporter
{
    public string Name => "llmperf";
    public string Description => "llmperf *_individual_responses.json";
    public string Versions => "ray-project/llmperf token_benchmark_ray.py *_individual_responses.json (one layout in every release)";

    public bool Detect(ImportProbe probe) =>
        probe.HasKeys("end_to_end_latency_s", "number_input_tokens") || probe.FirstObjectKeys.Any(k => k.StartsWith("results_end_to_end_latency_s", StringComparison.Ordinal));

    public long Read(Stream content, ImportContext context)
    {
        using var document = Document(content, context);
        if (document is null)
        {
            return 0;
        }
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object)
        {
            context.Error(0, null, null, "is an llmperf summary (*_summary.json): its quantiles cannot be recombined exactly; import the *_individual_responses.json next to it");
            return 0;
        }
        var model = context.Model();
        var provider = context.Provider(model);
        var route = context.Route(model);
        var workload = context.Workload(model);
        var concurrency = context.Concurrency();
        context.Declare("startedAt = 1970-01-01 for every request: llmperf does not log start times");
        if (model is null || provider is null || route is null || workload is null)
        {
            return root.GetArrayLength();
        }
        long i = 0;
        foreach (var r in root.EnumerateArray())
        {
            i++;
            var code = Long(r, "error_code");
            var status = code is null ? EventStatus.Ok : code == 429 ? EventStatus.RateLimited : EventStatus.Error;
            var ok = status == EventStatus.Ok;
            context.Emit(new RequestEvent
            {
                RequestId = $"llmperf-{i}",
                StartedAt = DateTimeOffset.UnixEpoch,
                LatencyMs = ok ? (Num(r, "end_to_end_latency_s") ?? 0) * 1000 : 0,
                Route = route,
                Provider = provider,
                Model = model,
                Workload = workload,
                InputTokens = Long(r, "number_input_tokens") ?? 0,
                OutputTokens = ok ? Long(r, "number_output_tokens") ?? 0 : 0,
                TtftMs = ok && Num(r, "ttft_s") is { } t ? t * 1000 : null,
                Status = status,
                Concurrency = concurrency,
            }, i);
        }
        return i;
    }
}
