using InferCost.Core.Playbook;

namespace InferCost.Core.Contract;

/// <summary>The Trace Kit v1 contract: the 16 seed fields (playbook wording) and the optional extensions.</summary>
public static class TraceContract
{
    public const string Version = "1";

    /// <summary>Seed fields in the playbook's order, then extensions.</summary>
    public static IReadOnlyList<FieldSpec> Fields { get; } = Build();

    public static IReadOnlyList<FieldSpec> SeedFields { get; } = Fields.Where(f => f.IsSeed).ToArray();

    private static readonly Dictionary<string, int> IndexByName =
        Fields.Select((f, i) => (f.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);

    /// <summary>The position of a field in <see cref="Fields"/>, or -1. Names are case-sensitive, as the contract is.</summary>
    public static int IndexOf(string name) => IndexByName.TryGetValue(name, out var i) ? i : -1;

    private static FieldSpec[] Build()
    {
        var seed = PlaybookManifest.Default.TraceKit.Fields.ToDictionary(f => f.Field, f => f.Description);
        FieldSpec S(string name, FieldKind kind, string unit, bool required = true, long min = 0) =>
            new(name, kind, IsSeed: true, IsRequired: required, unit, seed[name], min);
        FieldSpec X(string name, FieldKind kind, string unit, string description, long min = 0) =>
            new(name, kind, IsSeed: false, IsRequired: false, unit, description, min);

        return
        [
            S("route", FieldKind.Route, ""),
            S("provider", FieldKind.Text, ""),
            S("model", FieldKind.Text, ""),
            S("workload", FieldKind.Text, ""),
            S("inputTokens", FieldKind.NonNegative, "tokens per output"),
            S("outputTokens", FieldKind.NonNegative, "tokens per output"),
            S("cacheHitRate", FieldKind.Rate, "share 0..1"),
            S("batchEligible", FieldKind.Boolean, ""),
            S("concurrency", FieldKind.Integer, "requests in flight", min: 1),
            S("ttftMs", FieldKind.NonNegative, "ms"),
            S("latencyP50Ms", FieldKind.NonNegative, "ms"),
            S("latencyP95Ms", FieldKind.NonNegative, "ms"),
            S("outputTokensPerSecond", FieldKind.NonNegative, "tokens/s per stream"),
            S("acceptedOutputRate", FieldKind.Rate, "share 0..1"),
            // Empty costUsd means "model it from the price catalog".
            S("costUsd", FieldKind.NonNegative, "USD per output", required: false),
            S("reviewMinutes", FieldKind.NonNegative, "minutes per output"),
            X("requests", FieldKind.Integer, "outputs", "Outputs measured in this row; the weight when rows are combined.", min: 1),
            X("latencyP99Ms", FieldKind.NonNegative, "ms", "p99 end-to-end latency in milliseconds."),
            X("retryRate", FieldKind.NonNegative, "retries per request", "Retries per request (can exceed 1 in a retry storm)."),
            X("timeoutRate", FieldKind.Rate, "share 0..1", "Share of requests that timed out."),
            X("errorRate", FieldKind.Rate, "share 0..1", "Share of requests that ended in an error."),
            X("utilization", FieldKind.Rate, "share 0..1", "Accelerator occupancy during the measurement, 0 to 1."),
            X("fallbackRoute", FieldKind.Text, "", "Route (and model) that takes the requests this route fails or cannot serve."),
            X("fallbackShare", FieldKind.Rate, "share 0..1", "Share of requests sent to the fallback route."),
            X("cachedInputTokens", FieldKind.NonNegative, "tokens per output", "Input tokens read from the prompt cache, counted inside inputTokens."),
            X("cacheWriteTokens", FieldKind.NonNegative, "tokens per output", "Input tokens written to the prompt cache."),
            X("reasoningTokens", FieldKind.NonNegative, "tokens per output", "Reasoning tokens, counted inside outputTokens."),
            X("gpuType", FieldKind.Text, "", "Accelerator type for dedicated, self-hosted and owned routes (e.g. H100)."),
            X("gpuCount", FieldKind.Integer, "GPUs", "Accelerators serving the measurement.", min: 1),
            X("gpuHourUsd", FieldKind.NonNegative, "USD per GPU-hour", "Price paid per accelerator-hour."),
            X("measuredAt", FieldKind.Timestamp, "ISO 8601", "When the measurement was taken."),
            X("windowSeconds", FieldKind.NonNegative, "s", "Length of the measurement window."),
            X("targetP95Ms", FieldKind.NonNegative, "ms", "The workload's p95 latency target."),
            X("notes", FieldKind.Text, "", "Free text."),
        ];
    }
}
