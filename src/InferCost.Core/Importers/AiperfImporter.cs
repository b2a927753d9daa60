using System.Text.Json;
using InferCost.Core.Events;
using static InferCost.Core.Importers.JsonRecords;

namespace InferCost.Core.Importers;

/// <summary>
/// AIPerf's (and GenAI-Perf's successor's) per-request <c>profile_export.jsonl</c>: each line has <c>metadata</c>
/// (<c>x_request_id</c>, <c>request_start_ns</c>, <c>request_end_ns</c>, <c>benchmark_phase</c>, <c>was_cancelled</c>),
/// <c>metrics</c> (<c>request_latency</c>, <c>time_to_first_token</c>, <c>input_sequence_length</c>,
/// <c>output_sequence_length</c>, each <c>{"value", "unit"}</c>) and <c>error</c>. Warm-up records are skipped.
/// Concurrency is reconstructed from the start/end intervals. The aggregate <c>profile_export_aiperf.json</c> /
/// <c>profile_export_genai_perf.json</c> cannot be recombined and is refused.
/// </summary>
public sealed class AiperfImporter(string name) : IEventImporter
{
    public string Name => name;
    public string Description => name == "aiperf" ? "AIPerf profile_export.jsonl (per request)" : "GenAI-Perf / AIPerf per-request profile_export.jsonl";
    public string Versions => "AIPerf profile_export.jsonl, current schema (metadata.request_start_ns, benchmark_phase)";

    public bool Detect(ImportProbe probe) =>
        name == "aiperf" && (probe.HasKeys("metadata", "metrics") || (probe.FirstObjectKeys.Contains("request_latency") && probe.HeadText.Contains("\"unit\"", StringComparison.Ordinal)));

    public long Read(Stream content, ImportContext context)
    {
        var model = context.Model();
        var provider = context.Provider(model);
        var route = context.Route(model);
        var workload = context.Workload(model);
        long skipped = 0;
        var records = Records(content, context, (r, line) =>
        {
            if (Get(r, "metadata") is null)
            {
                context.Error(line, null, null, Get(r, "request_latency") is not null
                    ? "is an aggregate profile export: its percentiles cannot be recombined exactly; import the per-request profile_export.jsonl"
                    : (Get(r, "experiments") is not null
                        ? "is GenAI-Perf's classic profile_export.json, which has no token counts; import AIPerf's per-request profile_export.jsonl"
                        : "is not an AIPerf record (no metadata object)"));
                return;
            }
            if (Str(r, "metadata", "benchmark_phase") is "warmup")
            {
                skipped++;
                return;
            }
            if (model is null || provider is null || route is null || workload is null)
            {
                return;
            }
            var startNs = Num(r, "metadata", "request_start_ns");
            var endNs = Num(r, "metadata", "request_end_ns");
            if (startNs is null)
            {
                context.Error(line, "metadata.request_start_ns", null, "is missing");
                return;
            }
            var error = Get(r, "error");
            var cancelled = Bool(r, "metadata", "was_cancelled") == true;
            var status = cancelled ? EventStatus.Cancelled : error is not null ? (Long(error.Value, "code") == 429 ? EventStatus.RateLimited : EventStatus.Error) : EventStatus.Ok;
            var latency = Num(r, "metrics", "request_latency", "value") ?? (endNs is { } e ? (e - startNs.Value) / 1e6 : 0);
            context.Emit(new RequestEvent
            {
                RequestId = Str(r, "metadata", "x_request_id") ?? Str(r, "metadata", "x_correlation_id") ?? $"aiperf-{line}",
                StartedAt = FromEpoch(startNs.Value),
                LatencyMs = latency,
                Route = route,
                Provider = provider,
                Model = model,
                Workload = workload,
                InputTokens = Long(r, "metrics", "input_sequence_length", "value") ?? 0,
                OutputTokens = Long(r, "metrics", "output_sequence_length", "value") ?? Long(r, "metrics", "output_token_count", "value") ?? 0,
                ReasoningTokens = Long(r, "metrics", "reasoning_token_count", "value"),
                TtftMs = Num(r, "metrics", "time_to_first_token", "value"),
                Status = status,
            }, line);
        });
        if (skipped > 0)
        {
            context.Declare($"{skipped} warm-up records skipped");
        }
        return records;
    }
}
