namespace InferCost.Core.Metrics;

/// <summary>The assumptions a metrics run uses; all of them are printed with the result.</summary>
public sealed record MetricsOptions
{
    public const decimal DefaultReviewerUsdPerHour = 60m;
    public const long SmallSampleOutputs = 30;

    /// <summary>What an hour of human review costs, USD.</summary>
    public decimal ReviewerUsdPerHour { get; init; } = DefaultReviewerUsdPerHour;

    /// <summary>One p95 target for every workload (<c>--target-p95-ms</c>), ms.</summary>
    public double? TargetP95Ms { get; init; }

    /// <summary>Per-workload p95 targets (<c>--targets FILE</c>), ms; they win over every other source.</summary>
    public IReadOnlyDictionary<string, double> TargetsByWorkload { get; init; } = new Dictionary<string, double>();

    public IReadOnlyList<GroupDimension> GroupBy { get; init; } = GroupDimensions.Default;
}
