using InferCost.Core.Metrics;

namespace InferCost.Core.Events;

/// <summary>Lets rolled-up events take part in <c>metrics</c> and <c>report</c> beside contract rows: a rollup row
/// becomes the group sums <see cref="MetricsCalculator"/> derives from, weighted by its successful outputs.</summary>
public static class EventAggregates
{
    /// <summary>The group sums of one rollup row, keyed on <paramref name="groupBy"/>; null when the group has no
    /// successful attempt (nothing to weigh).</summary>
    public static GroupAggregate? ToAggregate(RollupRow row, IReadOnlyList<GroupDimension> groupBy)
    {
        if (row.Requests == 0)
        {
            return null;
        }
        double n = row.Requests;
        var key = new GroupKey(
            groupBy.Contains(GroupDimension.Route) ? row.Route : null,
            groupBy.Contains(GroupDimension.Provider) ? row.Provider : null,
            groupBy.Contains(GroupDimension.Model) ? row.Model : null,
            groupBy.Contains(GroupDimension.Workload) ? row.Workload : null,
            groupBy.Contains(GroupDimension.Concurrency) ? row.Concurrency : null);
        var input = row.InputTokens ?? 0;
        var acceptance = row.AcceptedOutputRate ?? 0;
        var tps = row.OutputTokensPerSecond ?? 0;
        return new GroupAggregate
        {
            Key = key,
            Rows = row.Events,
            Weight = n,
            Requests = row.Requests,
            WeightedInputTokens = input * n,
            WeightedUncachedInputTokens = (input - (row.CachedInputTokens ?? 0)) * n,
            WeightedOutputTokens = (row.OutputTokens ?? 0) * n,
            WeightedAcceptedOutputRate = acceptance * n,
            WeightedReviewMinutes = (row.ReviewMinutes ?? 0) * n,
            WeightedCostUsd = (row.CostUsd ?? 0) * row.Requests,
            RowsWithoutCost = row.CostUsd is null ? row.Events : 0,
            WeightedBatchEligible = (row.BatchShare ?? 0) * n,
            WeightedThroughputHeadroom = tps * (row.Concurrency ?? 1) * acceptance * n,
            WeightedOutputTokensPerSecond = tps * n,
            MaxTtftMs = row.TtftMs ?? 0,
            MaxLatencyP50Ms = row.LatencyP50Ms ?? 0,
            MaxLatencyP95Ms = row.LatencyP95Ms ?? 0,
            MaxLatencyP99Ms = row.LatencyP99Ms,
            RowsWithP99 = row.Events,
            RetryRate = new WeightedSum((row.RetryRate ?? 0) * n, row.RetryRate is null ? 0 : n),
            TimeoutRate = new WeightedSum(row.TimeoutRate * n, n),
            ErrorRate = new WeightedSum(row.ErrorRate * n, n),
            Utilization = new WeightedSum(0, 0),
            FallbackShare = new WeightedSum(0, 0),
            FallbackRoutes = [],
            MinTargetP95Ms = null,
            MaxTargetP95Ms = null,
            RowsWithCacheHits = (row.CachedInputTokens ?? 0) > 0 ? row.Events : 0,
            RowsWithMeasuredAt = row.Events,
            RowsWithGpuType = 0,
            PercentileSource = row.PercentileSource,
            JudgedOutputs = row.JudgedOutputs,
            AcceptanceReason = row.AcceptedOutputRate is null ? row.AcceptanceReason : null,
        };
    }

    /// <summary>Contract-row groups and event groups together; a group present in both is combined (sums added,
    /// the worse percentile kept, <c>percentileSource</c> "row-max": an exact and a row percentile cannot be merged).</summary>
    public static IReadOnlyList<GroupAggregate> Combine(IReadOnlyList<GroupAggregate> rows, IEnumerable<GroupAggregate> events)
    {
        var byKey = rows.ToDictionary(a => a.Key);
        foreach (var e in events)
        {
            byKey[e.Key] = byKey.TryGetValue(e.Key, out var r) ? Merge(r, e) : e;
        }
        return byKey.Values.ToList();
    }

    private static GroupAggregate Merge(GroupAggregate r, GroupAggregate e)
    {
        static WeightedSum Add(WeightedSum a, WeightedSum b) => new(a.Sum + b.Sum, a.Weight + b.Weight);
        static double? MaxN(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
        return r with
        {
            Rows = r.Rows + e.Rows,
            Weight = r.Weight + e.Weight,
            Requests = r.Requests is { } rr ? rr + e.Requests : null,
            WeightedInputTokens = r.WeightedInputTokens + e.WeightedInputTokens,
            WeightedUncachedInputTokens = r.WeightedUncachedInputTokens + e.WeightedUncachedInputTokens,
            WeightedOutputTokens = r.WeightedOutputTokens + e.WeightedOutputTokens,
            WeightedAcceptedOutputRate = r.WeightedAcceptedOutputRate + e.WeightedAcceptedOutputRate,
            WeightedReviewMinutes = r.WeightedReviewMinutes + e.WeightedReviewMinutes,
            WeightedCostUsd = r.WeightedCostUsd + e.WeightedCostUsd,
            RowsWithoutCost = r.RowsWithoutCost + e.RowsWithoutCost,
            WeightedBatchEligible = r.WeightedBatchEligible + e.WeightedBatchEligible,
            WeightedThroughputHeadroom = r.WeightedThroughputHeadroom + e.WeightedThroughputHeadroom,
            WeightedOutputTokensPerSecond = r.WeightedOutputTokensPerSecond + e.WeightedOutputTokensPerSecond,
            MaxTtftMs = Math.Max(r.MaxTtftMs, e.MaxTtftMs),
            MaxLatencyP50Ms = Math.Max(r.MaxLatencyP50Ms, e.MaxLatencyP50Ms),
            MaxLatencyP95Ms = Math.Max(r.MaxLatencyP95Ms, e.MaxLatencyP95Ms),
            MaxLatencyP99Ms = MaxN(r.MaxLatencyP99Ms, e.MaxLatencyP99Ms),
            RowsWithP99 = r.RowsWithP99 + e.RowsWithP99,
            RetryRate = Add(r.RetryRate, e.RetryRate),
            TimeoutRate = Add(r.TimeoutRate, e.TimeoutRate),
            ErrorRate = Add(r.ErrorRate, e.ErrorRate),
            RowsWithCacheHits = r.RowsWithCacheHits + e.RowsWithCacheHits,
            RowsWithMeasuredAt = r.RowsWithMeasuredAt + e.RowsWithMeasuredAt,
            PercentileSource = "row-max",
            JudgedOutputs = null,
            AcceptanceReason = e.AcceptanceReason,
        };
    }
}
