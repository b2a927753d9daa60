using InferCost.Core.Metrics;

namespace InferCost.Core.Pricing;

/// <summary>Token sums of the rows of one group that share a provider, model, batch eligibility and whether they give
/// costUsd: what modeled cost needs. Summed by the ledger in SQL (weight w = requests or 1), so rows never leave DuckDB.
/// Token sums include retries: each is Σ w · (1 + retryRate) · tokens.</summary>
public sealed record CostInputAggregate
{
    public required GroupKey Key { get; init; }
    public required string Provider { get; init; }
    public required string Model { get; init; }
    public required bool BatchEligible { get; init; }
    public required bool HasObservedCost { get; init; }
    public required long Rows { get; init; }
    /// <summary>Σ w.</summary>
    public required double Weight { get; init; }
    /// <summary>Σ w(1+r) · max(0, inputTokens − cached − cacheWrite).</summary>
    public required double WeightedUncachedInputTokens { get; init; }
    /// <summary>Σ w(1+r) · (cachedInputTokens, or inputTokens × cacheHitRate).</summary>
    public required double WeightedCachedInputTokens { get; init; }
    public required double WeightedCacheWriteTokens { get; init; }
    public required double WeightedOutputTokens { get; init; }
    /// <summary>Σ w · costUsd (0 when the rows give no cost).</summary>
    public required decimal WeightedObservedCostUsd { get; init; }
}

/// <summary>The GPUs the rows of one group ran on (capacity routes need them to be priced by the hour).</summary>
public sealed record GroupHardware
{
    public required GroupKey Key { get; init; }
    /// <summary>The group's gpuType when its rows agree, else null.</summary>
    public required string? GpuType { get; init; }
    public required long DistinctGpuTypes { get; init; }
    /// <summary>The largest gpuCount of the rows, or null when none gives it.</summary>
    public required long? GpuCount { get; init; }
    /// <summary>Request-weighted mean gpuHourUsd of the rows that give it, or null.</summary>
    public required decimal? GpuHourUsd { get; init; }
}
