namespace InferCost.Core.Contract;

/// <summary>
/// One measurement of one route/model/workload at one concurrency (Trace Kit v1).
/// Token counts, cost and review minutes are per output: averages over the run.
/// Immutable; safe to share across threads.
/// </summary>
public sealed record TraceRow
{
    public required string Route { get; init; }
    public required string Provider { get; init; }
    public required string Model { get; init; }
    public required string Workload { get; init; }
    /// <summary>Mean input tokens per output, cached tokens included.</summary>
    public required double InputTokens { get; init; }
    /// <summary>Mean output tokens per output.</summary>
    public required double OutputTokens { get; init; }
    /// <summary>Share of input tokens served from the prompt cache, 0..1.</summary>
    public required double CacheHitRate { get; init; }
    public required bool BatchEligible { get; init; }
    /// <summary>Concurrent requests during the measurement, ≥ 1.</summary>
    public required long Concurrency { get; init; }
    public required double TtftMs { get; init; }
    public required double LatencyP50Ms { get; init; }
    public required double LatencyP95Ms { get; init; }
    /// <summary>Sustained output-token rate per stream.</summary>
    public required double OutputTokensPerSecond { get; init; }
    /// <summary>Share of outputs accepted by the evaluator or reviewer, 0..1.</summary>
    public required double AcceptedOutputRate { get; init; }
    /// <summary>Cost per output in USD; null means "model it from the price catalog".</summary>
    public required decimal? CostUsd { get; init; }
    /// <summary>Human review minutes per output.</summary>
    public required double ReviewMinutes { get; init; }

    // Extensions: null when the row does not give them.
    /// <summary>Outputs measured; the weight when rows are combined.</summary>
    public long? Requests { get; init; }
    public double? LatencyP99Ms { get; init; }
    /// <summary>Retries per request (may exceed 1).</summary>
    public double? RetryRate { get; init; }
    public double? TimeoutRate { get; init; }
    public double? ErrorRate { get; init; }
    /// <summary>Accelerator occupancy, 0..1.</summary>
    public double? Utilization { get; init; }
    public string? FallbackRoute { get; init; }
    public double? FallbackShare { get; init; }
    public double? CachedInputTokens { get; init; }
    public double? CacheWriteTokens { get; init; }
    public double? ReasoningTokens { get; init; }
    public string? GpuType { get; init; }
    public long? GpuCount { get; init; }
    public decimal? GpuHourUsd { get; init; }
    public DateTimeOffset? MeasuredAt { get; init; }
    public double? WindowSeconds { get; init; }
    public double? TargetP95Ms { get; init; }
    public string? Notes { get; init; }

    /// <summary>The weight of this row when rows are combined: <see cref="Requests"/>, or 1.</summary>
    public double Weight => Requests ?? 1;
}
