using System.Globalization;
using InferCost.Core.Contract;
using InferCost.Core.Pricing;

namespace InferCost.Core.Metrics;

/// <summary>Derives the five metrics, the intervals and the per-workload headline from group sums. Pure.</summary>
public static class MetricsCalculator
{
    /// <summary>Share of modeled cost the observed cost may differ by before the gap is flagged.</summary>
    public const double GapFlagShare = 0.10;

    /// <param name="modeled">Catalog-modeled costs per group (rows without costUsd, and the observed-vs-modeled gap);
    /// without it a group missing costUsd has no cost.</param>
    public static MetricsResult Compute(IEnumerable<GroupAggregate> aggregates, MetricsOptions options, ModeledCosts? modeled = null)
    {
        var aggregateList = aggregates.ToList();
        var groups = aggregateList.Select(a => Derive(a, options, modeled?.ByGroup.GetValueOrDefault(a.Key))).OrderBy(g => g.Workload, StringComparer.Ordinal)
            .ThenBy(g => g.Route is null ? -1 : Routes.Order(g.Route))
            .ThenBy(g => g.Provider, StringComparer.Ordinal)
            .ThenBy(g => g.Model, StringComparer.Ordinal)
            .ThenBy(g => g.Concurrency)
            .ToList();
        var workloads = options.GroupBy.Contains(GroupDimension.Workload)
            ? Headlines(aggregateList, groups, options)
            : [];
        var assumptions = new MetricsAssumptions(
            options.ReviewerUsdPerHour,
            options.GroupBy.Select(GroupDimensions.Name).ToList(),
            options.TargetP95Ms,
            options.TargetsByWorkload,
            "request-weighted means (weight = requests, or 1 when a row has no requests); cacheHitRate is input-token-weighted",
            "never averaged: a group of several rows reports its worst row's p95 (percentileSource row-max)",
            "95% Wilson interval of acceptedOutputRate over the group's requests",
            MetricsOptions.SmallSampleOutputs,
            modeled?.Catalogs ?? [],
            modeled is null ? null : ModeledCosts.Formula);
        return new MetricsResult(assumptions, groups, workloads) { PriceGapWarnings = PriceGapWarning.Group(groups) };
    }

    internal static GroupMetrics Derive(GroupAggregate a, MetricsOptions options, GroupCostModel? model = null)
    {
        var w = a.Weight;
        var acceptance = a.WeightedAcceptedOutputRate / w;
        var reviewCostPerOutput = (decimal)(a.WeightedReviewMinutes / w) / 60m * options.ReviewerUsdPerHour;
        var costSource = a.RowsWithoutCost == 0 ? "observed" : a.RowsWithoutCost == a.Rows ? "modeled" : "mixed";
        // Every row without costUsd must be priced by the catalog, or the group has no cost (a partial sum would understate it).
        var modeledAll = model is not null && Math.Abs(model.ModeledWeight + model.ObservedWeight - w) <= 1e-9 * w;
        decimal? costPerOutput = a.RowsWithoutCost == 0 ? a.WeightedCostUsd / (decimal)w
            : modeledAll ? (a.WeightedCostUsd + model!.ModeledCostUsd) / (decimal)w
            : null;

        decimal? perAccepted = null, modelPerAccepted = null, playbookPerAccepted = null;
        string? costReason = null;
        if (a.AcceptanceReason is not null)
        {
            costReason = "acceptedOutputRate is unknown: " + a.AcceptanceReason;
        }
        else if (costPerOutput is null)
        {
            costReason = model is null
                ? $"costUsd is missing in {a.RowsWithoutCost} of {a.Rows} rows (modeled cost needs the price catalog)"
                : $"costUsd is missing in {a.RowsWithoutCost} of {a.Rows} rows and the price catalog does not price all of them";
        }
        else if (acceptance <= 0)
        {
            costReason = "acceptedOutputRate is 0: no output was accepted, so cost per accepted output is undefined";
        }
        else
        {
            perAccepted = Money((costPerOutput.Value + reviewCostPerOutput) / (decimal)acceptance);
            modelPerAccepted = Money(costPerOutput.Value / (decimal)acceptance);
            playbookPerAccepted = Money(costPerOutput.Value / (decimal)acceptance + reviewCostPerOutput);
        }

        Interval<double>? acceptanceInterval = null;
        Interval<decimal>? costInterval = null;
        string? intervalReason = null;
        if (a.AcceptanceReason is null && (a.JudgedOutputs ?? a.Requests) is { } n && n > 0)
        {
            var (low, high) = Wilson.Interval(acceptance, n);
            acceptanceInterval = new Interval<double>(low, high, null);
            if (costPerOutput is not null)
            {
                var numerator = costPerOutput.Value + reviewCostPerOutput;
                decimal? upper = low > 0 ? Money(numerator / (decimal)low) : null;
                costInterval = new Interval<decimal>(Money(numerator / (decimal)high), upper,
                    upper is null ? "the acceptance interval reaches 0, so the cost could be unbounded" : null);
            }
        }
        else
        {
            intervalReason = a.AcceptanceReason is not null
                ? "acceptedOutputRate is unknown, so no interval"
                : "no requests count: the sample size is unknown, so no interval";
        }

        var check = PriceCheck(a, model);
        return new GroupMetrics
        {
            Route = a.Key.Route,
            Provider = a.Key.Provider,
            Model = a.Key.Model,
            Workload = a.Key.Workload,
            Concurrency = a.Key.Concurrency,
            Label = a.Key.Label,
            Rows = a.Rows,
            Requests = a.Requests,
            CostPerAcceptedOutputUsd = perAccepted,
            ModelCostPerAcceptedOutputUsd = modelPerAccepted,
            PlaybookCostPerAcceptedOutputUsd = playbookPerAccepted,
            CostReason = costReason,
            CostSource = costSource,
            ModeledCostPerOutputUsd = model is { ModeledWeight: > 0 } m1 ? Money(m1.ModeledCostUsd / (decimal)m1.ModeledWeight) : null,
            LiveModeledCostPerOutputUsd = model is { ModeledWeight: > 0, BatchPricedWeight: > 0 } m2 ? Money(m2.LiveModeledCostUsd / (decimal)m2.ModeledWeight) : null,
            ObservedVsModeledGapShare = check.Gap,
            ObservedVsModeledGapFlagged = check.Gap is { } gap ? Math.Abs(gap) > GapFlagShare : null,
            PriceCheck = check.Basis,
            ImpliedGpus = check.ImpliedGpus,
            PriceSources = model?.PriceCitations ?? [],
            CostPerAcceptedOutputInterval = costInterval,
            CostPerOutputUsd = costPerOutput is { } c ? Money(c) : null,
            ReviewCostPerOutputUsd = Money(reviewCostPerOutput),
            AcceptedOutputRate = a.AcceptanceReason is null ? acceptance : null,
            AcceptedOutputRateInterval = acceptanceInterval,
            IntervalReason = intervalReason,
            LatencyP50Ms = a.MaxLatencyP50Ms,
            LatencyP95Ms = a.MaxLatencyP95Ms,
            LatencyP99Ms = a.RowsWithP99 == a.Rows ? a.MaxLatencyP99Ms : null,
            PercentileSource = a.PercentileSource ?? (a.Rows == 1 ? "row" : "row-max"),
            TtftMs = a.MaxTtftMs,
            InputTokens = a.WeightedInputTokens / w,
            CacheAdjustedInputTokens = a.WeightedUncachedInputTokens / w,
            CacheHitRate = a.WeightedInputTokens > 0 ? 1 - a.WeightedUncachedInputTokens / a.WeightedInputTokens : 0,
            OutputTokens = a.WeightedOutputTokens / w,
            OutputTokensPerSecond = a.WeightedOutputTokensPerSecond / w,
            ThroughputHeadroomTokensPerSecond = a.WeightedThroughputHeadroom / w,
            BatchEligibleShare = a.WeightedBatchEligible / w,
            RetryRate = a.RetryRate.Mean,
            TimeoutRate = a.TimeoutRate.Mean,
            ErrorRate = a.ErrorRate.Mean,
            Utilization = a.Utilization.Mean,
            FallbackRoute = a.FallbackRoutes.Count > 0 ? string.Join("; ", a.FallbackRoutes) : null,
            FallbackShare = a.FallbackShare.Mean,
            SmallSample = a.Requests is { } r ? r < MetricsOptions.SmallSampleOutputs : null,
        };
    }

    /// <summary>The observed-vs-modeled gap and what it was measured against: live token prices, or on a route billed
    /// per GPU-hour the GPU-hour economics of the measured throughput (never per-token prices).</summary>
    private static (double? Gap, string? Basis, ImpliedGpus? ImpliedGpus) PriceCheck(GroupAggregate a, GroupCostModel? model)
    {
        if (model is null || model.ObservedWeight <= 0)
        {
            return (null, null, null);
        }
        if (!model.BilledPerGpuHour)
        {
            return Gap(model) is { } tokenGap ? (tokenGap, "live token prices of the catalog", null) : (null, null, null);
        }
        var observedPerOutput = model.ObservedCostUsd / (decimal)model.ObservedWeight;
        var outputTokens = a.WeightedOutputTokens / a.Weight;
        var tokensPerSecond = a.WeightedOutputTokensPerSecond / a.Weight;
        if (model.GpuHourRate is not { } rate || a.Key.Concurrency is not { } concurrency || concurrency <= 0 || outputTokens <= 0 || tokensPerSecond <= 0)
        {
            return (null, "billed per GPU-hour: no GPU-hour price or throughput to check the observed cost against (per-token prices do not apply)", null);
        }
        var outputsPerSecond = concurrency * tokensPerSecond / outputTokens;
        var impliedUsdPerHour = (double)observedPerOutput * outputsPerSecond * 3600;
        var throughput = $"{outputsPerSecond.ToString("0.###", CultureInfo.InvariantCulture)} outputs/s at concurrency {concurrency}";
        if (rate.GpuCount is not { } gpus || gpus <= 0)
        {
            var implied = impliedUsdPerHour / (double)rate.UsdPerGpuHour;
            return (null, $"billed per GPU-hour: the observed cost at {throughput} implies ${impliedUsdPerHour.ToString("#,0.##", CultureInfo.InvariantCulture)} per hour, " +
                          $"{implied.ToString("0.#", CultureInfo.InvariantCulture)} × {rate.GpuType} at {rate.Source}; gpuCount not given, so no gap is computed", new ImpliedGpus(Math.Round(implied, 1), rate.GpuType, rate.UsdPerGpuHour, rate.Source));
        }
        var modeledPerOutput = (double)(gpus * rate.UsdPerGpuHour) / 3600 / outputsPerSecond;
        return ((double)observedPerOutput / modeledPerOutput - 1,
            $"GPU-hour economics: {gpus} × {rate.GpuType} at {rate.Source}, {throughput}", null);
    }

    private static double? Gap(GroupCostModel? model) =>
        model is { ModeledCostOfObservedUsd: { } modeled } && modeled > 0 ? (double)(model.ObservedCostUsd / modeled) - 1 : null;

    /// <summary>Money to nine places, the ledger's precision.</summary>
    private static decimal Money(decimal value) => Math.Round(value, 9, MidpointRounding.ToEven);

    private static List<WorkloadHeadline> Headlines(List<GroupAggregate> aggregates, List<GroupMetrics> groups, MetricsOptions options)
    {
        var headlines = new List<WorkloadHeadline>();
        foreach (var workloadGroups in groups.GroupBy(g => g.Workload!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var workload = workloadGroups.Key;
            var sums = aggregates.Where(a => a.Key.Workload == workload).ToList();
            var batchShare = sums.Sum(a => a.WeightedBatchEligible) / sums.Sum(a => a.Weight);
            var (target, source) = ResolveTarget(workload, sums, options);
            headlines.Add(Headline(workload, workloadGroups.ToList(), batchShare, target, source));
        }
        return headlines;
    }

    private static (double? Target, string Source) ResolveTarget(string workload, List<GroupAggregate> sums, MetricsOptions options)
    {
        if (options.TargetsByWorkload.TryGetValue(workload, out var fromFile))
        {
            return (fromFile, "--targets");
        }
        if (options.TargetP95Ms is { } global)
        {
            return (global, "--target-p95-ms");
        }
        // Rows may carry targetP95Ms; if they disagree, the strictest one binds.
        var fromRows = sums.Where(a => a.MinTargetP95Ms is not null).Select(a => a.MinTargetP95Ms!.Value).ToList();
        return fromRows.Count > 0 ? (fromRows.Min(), "rows") : (null, "none");
    }

    private static WorkloadHeadline Headline(string workload, List<GroupMetrics> groups, double batchShare, double? target, string targetSource)
    {
        var priced = groups.Where(g => g.CostPerAcceptedOutputUsd is not null).ToList();
        var meeting = priced.Where(g => target is null || g.LatencyP95Ms <= target.Value)
            .OrderBy(g => g.CostPerAcceptedOutputUsd).ThenBy(g => g.LatencyP95Ms).ToList();
        // Rivals are other route/provider/model choices, each at its own best qualifying concurrency:
        // the same model at another concurrency is an operating point, not an alternative to buy.
        var distinct = meeting.GroupBy(g => (g.Route, g.Provider, g.Model)).Select(c => c.First()).ToList();
        // The same measurement filed under two model names (a copied row, a placeholder beside the real id) is one
        // choice, not a rival: a runner-up "0% cheaper" than itself would only undermine the headline.
        var contenders = new List<GroupMetrics>();
        var sameUnderAnotherName = new List<string>();
        foreach (var candidate in distinct)
        {
            if (contenders.FirstOrDefault(c => SameModelUnderAnotherName(c, candidate)) is { } kept)
            {
                sameUnderAnotherName.Add($"{candidate.Label} (same measurement as {kept.Model})");
            }
            else
            {
                contenders.Add(candidate);
            }
        }
        var best = contenders.FirstOrDefault();
        var runnerUp = contenders.Skip(1).FirstOrDefault();
        string reason;
        if (best is null)
        {
            reason = NoWinnerReason(groups, priced, target);
        }
        else
        {
            var targetText = target is null
                ? "no p95 target set, so every measured group qualifies"
                : $"p95 {Ms(best.LatencyP95Ms)} meets the target of {Ms(target.Value)}";
            reason = $"lowest cost per accepted output among {meeting.Count} of {groups.Count} groups; {targetText}";
        }

        var overlaps = new List<string>();
        var unsized = new List<string>();
        if (best?.CostPerAcceptedOutputInterval is { } bestInterval)
        {
            foreach (var other in contenders.Skip(1))
            {
                if (other.CostPerAcceptedOutputInterval is not { } otherInterval)
                {
                    unsized.Add(other.Label);
                }
                // Intervals overlap when the other's low end is below the best's high end (an unbounded high always overlaps).
                else if (bestInterval.High is null || otherInterval.Low <= bestInterval.High)
                {
                    overlaps.Add(other.Label);
                }
            }
        }
        else if (best is not null)
        {
            unsized.Add(best.Label);
        }
        bool? settled = best is null ? null : overlaps.Count > 0 ? false : unsized.Count > 0 ? null : true;
        var rankingText = best is null ? null : RankingText(best, contenders.Skip(1).ToList(), settled);

        decimal? saving = null;
        double? savingShare = null;
        if (best is not null && runnerUp is not null)
        {
            saving = runnerUp.CostPerAcceptedOutputUsd - best.CostPerAcceptedOutputUsd;
            savingShare = runnerUp.CostPerAcceptedOutputUsd > 0 ? (double)(saving!.Value / runnerUp.CostPerAcceptedOutputUsd!.Value) : null;
        }

        return new WorkloadHeadline
        {
            Workload = workload,
            BatchDisplacementShare = batchShare,
            TargetP95Ms = target,
            TargetSource = targetSource,
            Best = best,
            RunnerUp = runnerUp,
            SavingVsRunnerUpUsd = saving,
            SavingVsRunnerUpShare = savingShare,
            RankingSettled = settled,
            OverlapsWith = overlaps,
            WithoutSampleSize = unsized,
            Ranking = rankingText,
            SameModelUnderAnotherName = sameUnderAnotherName,
            GroupsMeasured = groups.Count,
            GroupsMeetingTarget = meeting.Count,
            Reason = reason,
        };
    }

    /// <summary>Two groups of one workload are the same model under another name when route, provider, concurrency and
    /// every measured number agree, or when their model names differ only in case and separators.</summary>
    internal static bool SameModelUnderAnotherName(GroupMetrics a, GroupMetrics b)
    {
        if (a.Route != b.Route || !string.Equals(a.Provider, b.Provider, StringComparison.OrdinalIgnoreCase) || a.Model == b.Model)
        {
            return false;
        }
        if (NormalizedName(a.Model) == NormalizedName(b.Model))
        {
            return true;
        }
        return a.Concurrency == b.Concurrency
            && a.CostPerOutputUsd == b.CostPerOutputUsd && a.ReviewCostPerOutputUsd == b.ReviewCostPerOutputUsd
            && a.AcceptedOutputRate == b.AcceptedOutputRate && a.LatencyP50Ms == b.LatencyP50Ms && a.LatencyP95Ms == b.LatencyP95Ms
            && a.TtftMs == b.TtftMs && a.InputTokens == b.InputTokens && a.OutputTokens == b.OutputTokens
            && a.OutputTokensPerSecond == b.OutputTokensPerSecond && a.CacheHitRate == b.CacheHitRate;
    }

    private static string NormalizedName(string? model) =>
        new((model ?? "").Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    /// <summary>How sure the ranking is, in words: what the intervals say, and where a side has no sample size, what is
    /// known anyway (the other side's interval and the gap between point estimates).</summary>
    internal static string RankingText(GroupMetrics best, List<GroupMetrics> rivals, bool? settled)
    {
        if (rivals.Count == 0)
        {
            return "only qualifying choice: nothing to rank against";
        }
        var runnerUp = rivals[0];
        var bestInterval = best.CostPerAcceptedOutputInterval;
        if (settled == true)
        {
            return $"settled: the best's 95% interval {IntervalText(bestInterval!)} lies below every rival's (runner-up {IntervalText(runnerUp.CostPerAcceptedOutputInterval!)})";
        }
        var parts = new List<string>();
        if (settled == false)
        {
            var overlapping = rivals.Where(r => r.CostPerAcceptedOutputInterval is { } ri && (bestInterval!.High is null || ri.Low <= bestInterval.High)).ToList();
            parts.Add($"not settled: the best's 95% interval {IntervalText(bestInterval!)} overlaps " +
                      string.Join(", ", overlapping.Select(r => $"{r.Label} ({IntervalText(r.CostPerAcceptedOutputInterval!)})")));
        }
        if (bestInterval is null)
        {
            var gap = Gap(best, runnerUp);
            var other = runnerUp.CostPerAcceptedOutputInterval is { } ri
                ? $"the runner-up's 95% interval is {IntervalText(ri)}"
                : "the runner-up has no requests count either";
            parts.Add($"not settled by sample size: the best ({Usd(best.CostPerAcceptedOutputUsd)}) has no requests count; {other}; on point estimates {gap}");
        }
        else
        {
            foreach (var rival in rivals.Where(r => r.CostPerAcceptedOutputInterval is null))
            {
                var above = bestInterval.High is { } high && rival.CostPerAcceptedOutputUsd > high
                    ? "its point estimate lies above the best's interval"
                    : "its point estimate lies inside or below the best's interval";
                parts.Add($"{rival.Label} has no requests count ({Usd(rival.CostPerAcceptedOutputUsd)}, {Gap(best, rival)}): {above} {IntervalText(bestInterval)}");
            }
        }
        return string.Join("; ", parts);
    }

    private static string Gap(GroupMetrics best, GroupMetrics rival) =>
        rival.CostPerAcceptedOutputUsd is { } r && best.CostPerAcceptedOutputUsd is { } b && r > 0
            ? $"the best {((double)((r - b) / r) * 100).ToString("0.#", CultureInfo.InvariantCulture)}% cheaper"
            : "gap unknown";

    private static string IntervalText(Interval<decimal> i) => $"{Usd(i.Low)}–{(i.High is null ? "unbounded" : Usd(i.High))}";

    private static string Usd(decimal? value) => Formatting.Fmt.Usd(value);

    private static string NoWinnerReason(List<GroupMetrics> groups, List<GroupMetrics> priced, double? target)
    {
        if (priced.Count == 0)
        {
            return "no group has a defined cost per accepted output: " + (groups.FirstOrDefault()?.CostReason ?? "no rows");
        }
        var fastest = priced.OrderBy(g => g.LatencyP95Ms).First();
        return $"no measured group meets the p95 target of {Ms(target!.Value)}; the fastest is {fastest.Label} at p95 {Ms(fastest.LatencyP95Ms)}";
    }

    private static string Ms(double ms) => ms.ToString("#,0.##", CultureInfo.InvariantCulture) + " ms";
}
