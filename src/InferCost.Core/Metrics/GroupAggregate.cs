namespace InferCost.Core.Metrics;

/// <summary>The identity of a group; a dimension not grouped by is null.</summary>
public sealed record GroupKey(string? Route, string? Provider, string? Model, string? Workload, long? Concurrency)
{
    public string Label => string.Join(" / ", new[] { Route, Provider, Model, Workload, Concurrency is { } c ? $"c={c}" : null }.Where(p => p is not null));
}

/// <summary>A request-weighted sum and the weight it was taken over; the mean is Sum / Weight.</summary>
public readonly record struct WeightedSum(double Sum, double Weight)
{
    public double? Mean => Weight > 0 ? Sum / Weight : null;
}

/// <summary>
/// Sums over the rows of one group, from which every metric is derived. Each row weighs w = requests (or 1).
/// Computed by the ledger in SQL, so a million rows never leave DuckDB; Core derives the metrics.
/// </summary>
public sealed record GroupAggregate
{
    public required GroupKey Key { get; init; }
    public required long Rows { get; init; }
    /// <summary>Σ w.</summary>
    public required double Weight { get; init; }
    /// <summary>Σ requests when every row gives it, else null (sample size unknown).</summary>
    public required long? Requests { get; init; }
    public required double WeightedInputTokens { get; init; }
    /// <summary>Σ w · inputTokens · (1 − cacheHitRate).</summary>
    public required double WeightedUncachedInputTokens { get; init; }
    public required double WeightedOutputTokens { get; init; }
    public required double WeightedAcceptedOutputRate { get; init; }
    public required double WeightedReviewMinutes { get; init; }
    /// <summary>Σ w · costUsd over rows that give a cost.</summary>
    public required decimal WeightedCostUsd { get; init; }
    public required long RowsWithoutCost { get; init; }
    /// <summary>Σ w over batch-eligible rows.</summary>
    public required double WeightedBatchEligible { get; init; }
    /// <summary>Σ w · outputTokensPerSecond · concurrency · acceptedOutputRate.</summary>
    public required double WeightedThroughputHeadroom { get; init; }
    public required double WeightedOutputTokensPerSecond { get; init; }
    public required double MaxTtftMs { get; init; }
    public required double MaxLatencyP50Ms { get; init; }
    public required double MaxLatencyP95Ms { get; init; }
    public required double? MaxLatencyP99Ms { get; init; }
    public required long RowsWithP99 { get; init; }
    public required WeightedSum RetryRate { get; init; }
    public required WeightedSum TimeoutRate { get; init; }
    public required WeightedSum ErrorRate { get; init; }
    public required WeightedSum Utilization { get; init; }
    public required WeightedSum FallbackShare { get; init; }
    /// <summary>Distinct fallback routes named by the rows, sorted.</summary>
    public required IReadOnlyList<string> FallbackRoutes { get; init; }
    public required double? MinTargetP95Ms { get; init; }
    public required double? MaxTargetP95Ms { get; init; }
    /// <summary>Rows whose cacheHitRate is above zero.</summary>
    public required long RowsWithCacheHits { get; init; }
    public required long RowsWithMeasuredAt { get; init; }
    public required long RowsWithGpuType { get; init; }

    /// <summary>"events" when the group was rolled up exactly from request events; null for contract rows
    /// ("row" or "row-max" is derived from <see cref="Rows"/>).</summary>
    public string? PercentileSource { get; init; }
    /// <summary>For events: successful outputs that were judged (the sample size of acceptedOutputRate).</summary>
    public long? JudgedOutputs { get; init; }
    /// <summary>For events: why acceptedOutputRate is unknown (nothing judged), else null.</summary>
    public string? AcceptanceReason { get; init; }
}
