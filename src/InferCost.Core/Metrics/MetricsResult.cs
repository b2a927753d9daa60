namespace InferCost.Core.Metrics;

/// <summary>The GPUs an observed cost pays for at the measured throughput: Count × GpuType at UsdPerGpuHour (Source).</summary>
public sealed record ImpliedGpus(double Count, string GpuType, decimal UsdPerGpuHour, string Source);

/// <summary>A two-sided 95% interval. <c>High</c> is null (with a reason) when it is unbounded.</summary>
public sealed record Interval<T>(T? Low, T? High, string? HighReason) where T : struct;

/// <summary>Everything derived for one group. Nullable values are null with a reason, never NaN or Infinity.</summary>
public sealed record GroupMetrics
{
    public required string? Route { get; init; }
    public required string? Provider { get; init; }
    public required string? Model { get; init; }
    public required string? Workload { get; init; }
    public required long? Concurrency { get; init; }
    public required string Label { get; init; }
    public required long Rows { get; init; }
    public required long? Requests { get; init; }

    /// <summary>(cost + review minutes / 60 × reviewer rate) ÷ acceptance, USD per accepted output.</summary>
    public required decimal? CostPerAcceptedOutputUsd { get; init; }
    public required decimal? ModelCostPerAcceptedOutputUsd { get; init; }
    /// <summary>The playbook's literal costUsd / acceptedOutputRate + review cost per output (one review per accepted
    /// output), USD; null when <see cref="CostPerAcceptedOutputUsd"/> is.</summary>
    public decimal? PlaybookCostPerAcceptedOutputUsd { get; init; }
    public required string? CostReason { get; init; }
    /// <summary>"observed" when every row gives costUsd, "modeled" when none does (priced from the catalog), "mixed" otherwise.</summary>
    public required string CostSource { get; init; }
    /// <summary>Modeled cost per output of the rows without costUsd (batch lane where used), USD; null when none was modeled.</summary>
    public required decimal? ModeledCostPerOutputUsd { get; init; }
    /// <summary>The same rows at live prices, shown beside a batch-lane price; null when no batch lane was used.</summary>
    public required decimal? LiveModeledCostPerOutputUsd { get; init; }
    /// <summary>Observed ÷ modeled − 1 over the rows that give costUsd and have a catalog price; null when not both exist.</summary>
    public required double? ObservedVsModeledGapShare { get; init; }
    /// <summary>True when the observed-vs-modeled gap is over 10% either way.</summary>
    public required bool? ObservedVsModeledGapFlagged { get; init; }
    /// <summary>What the observed cost was checked against (live token prices, or GPU-hour economics on routes billed by
    /// the hour), or why it could not be; null when there is no observed cost to check.</summary>
    public string? PriceCheck { get; init; }
    /// <summary>On a route billed per GPU-hour without gpuCount: how many GPUs (at the checked $/GPU-hour) the observed
    /// cost pays for at the measured throughput; null otherwise.</summary>
    public ImpliedGpus? ImpliedGpus { get; init; }
    /// <summary>The catalog entries behind every modeled number: provider, model, catalog file, effective date, source.</summary>
    public required IReadOnlyList<string> PriceSources { get; init; }
    /// <summary>The range of cost per accepted output implied by the acceptance interval.</summary>
    public required Interval<decimal>? CostPerAcceptedOutputInterval { get; init; }
    /// <summary>Cost per output and review cost per output, before acceptance: what one generation costs.</summary>
    public required decimal? CostPerOutputUsd { get; init; }
    public required decimal ReviewCostPerOutputUsd { get; init; }

    public required double? AcceptedOutputRate { get; init; }
    public required Interval<double>? AcceptedOutputRateInterval { get; init; }
    public required string? IntervalReason { get; init; }

    public required double LatencyP50Ms { get; init; }
    public required double LatencyP95Ms { get; init; }
    public required double? LatencyP99Ms { get; init; }
    /// <summary>"row" for a single row, "row-max" when the worst of several rows is reported, "events" when exact.</summary>
    public required string PercentileSource { get; init; }
    public required double TtftMs { get; init; }

    public required double InputTokens { get; init; }
    public required double CacheAdjustedInputTokens { get; init; }
    public required double CacheHitRate { get; init; }
    public required double OutputTokens { get; init; }
    public required double OutputTokensPerSecond { get; init; }
    public required double ThroughputHeadroomTokensPerSecond { get; init; }
    public required double BatchEligibleShare { get; init; }
    public required double? RetryRate { get; init; }
    public required double? TimeoutRate { get; init; }
    public required double? ErrorRate { get; init; }
    public required double? Utilization { get; init; }
    public required string? FallbackRoute { get; init; }
    public required double? FallbackShare { get; init; }
    /// <summary>True under 30 measured outputs; null when the sample size is unknown (no requests column).</summary>
    public required bool? SmallSample { get; init; }
}

/// <summary>The headline of one workload: the cheapest group per accepted output whose p95 meets the target.</summary>
public sealed record WorkloadHeadline
{
    public required string Workload { get; init; }
    public required double BatchDisplacementShare { get; init; }
    public required double? TargetP95Ms { get; init; }
    /// <summary>Where the target came from: "--targets", "--target-p95-ms", "rows", or "none".</summary>
    public required string TargetSource { get; init; }
    public required GroupMetrics? Best { get; init; }
    public required GroupMetrics? RunnerUp { get; init; }
    /// <summary>How much cheaper the best is than the runner-up per accepted output, USD and share.</summary>
    public required decimal? SavingVsRunnerUpUsd { get; init; }
    public required double? SavingVsRunnerUpShare { get; init; }
    /// <summary>False when the best group's cost interval overlaps another qualifying group's; null when unknown.</summary>
    public required bool? RankingSettled { get; init; }
    public required IReadOnlyList<string> OverlapsWith { get; init; }
    /// <summary>Contenders (the best included) that give no requests count, so the ranking cannot be settled against them.</summary>
    public required IReadOnlyList<string> WithoutSampleSize { get; init; }
    /// <summary>How sure the ranking is, in one sentence: the intervals, or what is known where a side lacks a sample size; null without a best.</summary>
    public string? Ranking { get; init; }
    /// <summary>Qualifying groups left out of the ranking as the same measurement as a kept one under another model name.</summary>
    public IReadOnlyList<string> SameModelUnderAnotherName { get; init; } = [];
    public required int GroupsMeasured { get; init; }
    public required int GroupsMeetingTarget { get; init; }
    public required string Reason { get; init; }
}

public sealed record MetricsAssumptions(
    decimal ReviewerUsdPerHour,
    IReadOnlyList<string> GroupBy,
    double? TargetP95Ms,
    IReadOnlyDictionary<string, double> TargetsByWorkload,
    string Weighting,
    string Percentiles,
    string Interval,
    long SmallSampleOutputs,
    IReadOnlyList<string> PriceCatalogs,
    string? CostModel)
{
    /// <summary>The headline formula, as every renderer states it.</summary>
    public const string CostPerAcceptedOutputFormula =
        "costPerAcceptedOutput = (costUsd + reviewMinutes/60 × reviewer $/h) / acceptedOutputRate";

    /// <summary>The playbook's literal formula, reported beside it as playbookCostPerAcceptedOutputUsd.</summary>
    public const string PlaybookFormula = "costUsd / acceptedOutputRate + reviewer time cost";

    /// <summary>Why the two differ, in one sentence.</summary>
    public const string FormulaNote =
        "every generation is reviewed, accepted or not, so each accepted output carries 1/acceptedOutputRate generations and as many reviews; " +
        "the playbook's literal costUsd / acceptedOutputRate + reviewer time cost counts one review per accepted output and is lower by " +
        "reviewMinutes/60 × reviewer $/h × (1/acceptedOutputRate − 1); JSON gives both (costPerAcceptedOutputUsd, playbookCostPerAcceptedOutputUsd)";

    public string Formula => CostPerAcceptedOutputFormula;
    public string PlaybookLiteralFormula => PlaybookFormula;
    public string FormulaDifference => FormulaNote;
}

public sealed record MetricsResult(MetricsAssumptions Assumptions, IReadOnlyList<GroupMetrics> Groups, IReadOnlyList<WorkloadHeadline> Workloads)
{
    /// <summary>Observed costs far from what the catalog models, one per route/provider/model (not per concurrency).</summary>
    public IReadOnlyList<PriceGapWarning> PriceGapWarnings { get; init; } = [];
}
