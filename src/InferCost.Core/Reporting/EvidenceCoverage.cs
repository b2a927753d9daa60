using InferCost.Core.Metrics;

namespace InferCost.Core.Reporting;

/// <summary>Which optional evidence the rows carry at all, summed over every group.</summary>
internal sealed record EvidenceCoverage(
    long Rows, long RowsWithP99, double RetryWeight, double TimeoutWeight, double UtilizationWeight, long FallbackRoutes,
    long RowsWithCacheHits, bool AllRequestsKnown, long RowsWithGpuType, long RowsWithMeasuredAt, double BatchWeight, long RowsWithoutCost)
{
    public static EvidenceCoverage From(IReadOnlyList<GroupAggregate> aggregates) => new(
        aggregates.Sum(a => a.Rows),
        aggregates.Sum(a => a.RowsWithP99),
        aggregates.Sum(a => a.RetryRate.Weight),
        aggregates.Sum(a => a.TimeoutRate.Weight),
        aggregates.Sum(a => a.Utilization.Weight),
        aggregates.Sum(a => (long)a.FallbackRoutes.Count),
        aggregates.Sum(a => a.RowsWithCacheHits),
        aggregates.All(a => a.Requests is not null),
        aggregates.Sum(a => a.RowsWithGpuType),
        aggregates.Sum(a => a.RowsWithMeasuredAt),
        aggregates.Sum(a => a.WeightedBatchEligible),
        aggregates.Sum(a => a.RowsWithoutCost));
}
