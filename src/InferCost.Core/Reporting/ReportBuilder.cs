using System.Globalization;
using InferCost.Core.Contract;
using InferCost.Core.Curves;
using InferCost.Core.Formatting;
using InferCost.Core.Metrics;
using InferCost.Core.Playbook;
using InferCost.Core.Pricing;

namespace InferCost.Core.Reporting;

/// <summary>What the report needs to price routes: modeled costs (rows without costUsd), the GPUs each group ran on,
/// the catalog and the demand shape. The sums must be grouped at full detail.</summary>
public sealed record ReportPricing(ModeledCosts Modeled, IReadOnlyList<GroupHardware> Hardware, PriceCatalog Catalog, DemandShape Demand)
{
    /// <summary>The buyer profile's capacity plan, when one is given: its gpuCount sizes the replicas of the rows it
    /// describes (the capacity model), in the curves as in the procurement matrix.</summary>
    public Procurement.CapacityPlan? Plan { get; init; }
}

/// <summary>Builds the buyer report from group sums: metrics, route cards, lever evidence and chart data. Pure.</summary>
public static class ReportBuilder
{
    public static ReportModel Build(IReadOnlyList<GroupAggregate> aggregates, MetricsOptions options, IReadOnlyList<ReportInput> inputs, PlaybookManifest? playbook = null, ReportPricing? pricing = null)
    {
        playbook ??= PlaybookManifest.Default;
        // The report always needs per-workload headlines and p95 at concurrency, so it groups at full detail.
        var metrics = MetricsCalculator.Compute(aggregates, options with { GroupBy = GroupDimensions.Default }, pricing?.Modeled);
        var coverage = EvidenceCoverage.From(aggregates);
        var curves = pricing is null ? [] : metrics.Workloads.Select(w => CostCurveBuilder.Build(CurveInputsFor(w, metrics, pricing, options))).ToList();
        return new ReportModel
        {
            Title = "Inference route report: cost per accepted output at target p95 latency",
            RecommendedMetric = playbook.RecommendedMetric,
            Assumptions = metrics.Assumptions,
            Inputs = inputs,
            Headlines = metrics.Workloads,
            Answers = metrics.Workloads.Select(w => Answer(w, metrics.Groups.Where(g => g.Workload == w.Workload).ToList(), metrics.PriceGapWarnings)).ToList(),
            Groups = metrics.Groups,
            PriceGapWarnings = metrics.PriceGapWarnings,
            RouteCards = playbook.Routes.Select(card => RouteCard(card, metrics)).ToList(),
            Levers = playbook.Levers.Select(lever => Lever(lever, metrics, coverage)).ToList(),
            Charts = metrics.Workloads.Select(w => Charts(w, metrics.Groups.Where(g => g.Workload == w.Workload).ToList())
                with { CostCurve = curves.FirstOrDefault(c => c.Workload == w.Workload) is { } curve ? CurveChart(curve) : null }).ToList(),
            SourceTrail = playbook.SourceTrail,
            CostCurves = curves,
        };
    }

    /// <summary>The curve inputs of one workload from full-detail metrics.</summary>
    public static CurveInputs CurveInputsFor(WorkloadHeadline workload, MetricsResult metrics, ReportPricing pricing, MetricsOptions options) => new()
    {
        Workload = workload.Workload,
        TargetP95Ms = workload.TargetP95Ms,
        Groups = metrics.Groups.Where(g => g.Workload == workload.Workload).ToList(),
        Hardware = pricing.Hardware.ToDictionary(h => h.Key),
        Catalog = pricing.Catalog,
        ReviewerUsdPerHour = options.ReviewerUsdPerHour,
        Demand = pricing.Demand,
        Plan = pricing.Plan,
    };

    /// <summary>The cost curve as a chart: one series per route, cost per accepted output (USD) against monthly accepted outputs.</summary>
    public static LineChart CurveChart(CostCurve curve)
    {
        var series = curve.PerTokenRoutes.Select(r => r.Route).Concat(curve.CapacityRoutes.Select(r => r.Route))
            .OrderBy(Routes.Order)
            .Select(route => new LineSeries(route, curve.Points.Where(p => p.Routes.ContainsKey(route))
                .Select(p => new LinePoint(p.MonthlyAcceptedOutputs, (double)p.Routes[route].CostPerAcceptedOutputUsd)).ToList()))
            .ToList();
        return new LineChart($"Cost per accepted output against monthly volume — {curve.Workload}", "accepted outputs per month", "USD per accepted output", series, null, null)
        {
            NotDrawn = curve.Omitted,
        };
    }

    private static RouteFinding RouteCard(RouteCard card, MetricsResult metrics)
    {
        var groups = metrics.Groups.Where(g => g.Route == card.Route).ToList();
        var won = metrics.Workloads.Where(w => w.Best?.Route == card.Route).Select(w => w.Workload).ToList();
        string finding;
        if (groups.Count == 0)
        {
            finding = "Not measured in these traces: no evidence for or against this route yet.";
        }
        else
        {
            var priced = groups.Where(g => g.CostPerAcceptedOutputUsd is not null).ToList();
            var cheapest = priced.OrderBy(g => g.CostPerAcceptedOutputUsd).FirstOrDefault();
            var parts = new List<string>
            {
                $"{groups.Count} measured group{(groups.Count == 1 ? "" : "s")} across {groups.Select(g => g.Workload).Distinct().Count()} workload(s)",
            };
            if (cheapest is not null)
            {
                parts.Add($"cheapest {Usd(cheapest.CostPerAcceptedOutputUsd!.Value)} per accepted output ({cheapest.Workload}, {cheapest.Model}, concurrency {cheapest.Concurrency})");
            }
            parts.Add($"p95 from {Ms(groups.Min(g => g.LatencyP95Ms))} to {Ms(groups.Max(g => g.LatencyP95Ms))}");
            var utilization = groups.Where(g => g.Utilization is not null).Select(g => g.Utilization!.Value).ToList();
            if (utilization.Count > 0)
            {
                parts.Add($"utilization {Share(utilization.Min())}–{Share(utilization.Max())}");
            }
            parts.Add(won.Count > 0 ? "wins " + string.Join(", ", won) : "wins no workload at its target");
            finding = string.Join("; ", parts) + ".";
        }
        return new RouteFinding(card.Route, card.BestFor, card.CostDrivers, card.Watchouts, card.BuyerDecision, groups.Count, won, finding);
    }

    private static LeverEvidence Lever(CostLever lever, MetricsResult metrics, EvidenceCoverage c)
    {
        var found = new List<string>();
        var missing = new List<string>();
        var groups = metrics.Groups;
        switch (lever.Lever)
        {
            case "Batch eligibility":
                foreach (var w in metrics.Workloads)
                {
                    found.Add($"{w.Workload}: batch displacement share {Share(w.BatchDisplacementShare)}");
                }
                if (c.BatchWeight == 0)
                {
                    missing.Add("no batch-eligible rows: no workload has been shown to tolerate an offline lane");
                }
                missing.Add("batch-lane prices and the accepted-output score at batch settings are not measured in these traces");
                break;
            case "Prompt cache shape":
                if (c.RowsWithCacheHits > 0)
                {
                    found.Add($"cache hit rate measured above 0 on {c.RowsWithCacheHits} of {c.Rows} rows; range {Share(groups.Min(g => g.CacheHitRate))}–{Share(groups.Max(g => g.CacheHitRate))}");
                    var saved = groups.Sum(g => g.InputTokens - g.CacheAdjustedInputTokens);
                    found.Add($"cache-adjusted input burden is {Share(1 - groups.Sum(g => g.CacheAdjustedInputTokens) / Math.Max(1e-12, groups.Sum(g => g.InputTokens)))} of raw input tokens across groups ({saved.ToString("#,0", CultureInfo.InvariantCulture)} tokens per output served from cache, summed over groups)");
                }
                else
                {
                    missing.Add("no cache hit rate measured (every row reports 0)");
                }
                missing.Add("cache-read/write prices and session-affinity behaviour are not in these traces");
                break;
            case "Throughput and utilization":
                var best = groups.OrderByDescending(g => g.ThroughputHeadroomTokensPerSecond).FirstOrDefault();
                if (best is not null)
                {
                    found.Add($"highest throughput headroom {best.ThroughputHeadroomTokensPerSecond.ToString("#,0", CultureInfo.InvariantCulture)} accepted tokens/s ({best.Label})");
                }
                if (c.UtilizationWeight > 0)
                {
                    found.Add($"utilization measured on some groups: {string.Join(", ", groups.Where(g => g.Utilization is not null).Select(g => $"{g.Label} {Share(g.Utilization!.Value)}"))}");
                }
                else
                {
                    missing.Add("no utilization (accelerator occupancy) measured");
                }
                if (c.RowsWithGpuType == 0)
                {
                    missing.Add("no gpuType given for any row: memory fit and GPU-hour cost cannot be checked");
                }
                break;
            case "Queueing and tail latency":
                foreach (var w in metrics.Workloads)
                {
                    var ws = groups.Where(g => g.Workload == w.Workload).ToList();
                    found.Add($"{w.Workload}: p95 measured at concurrency {string.Join(", ", ws.Select(g => g.Concurrency).Distinct().Order())}, from {Ms(ws.Min(g => g.LatencyP95Ms))} to {Ms(ws.Max(g => g.LatencyP95Ms))}");
                }
                if (c.RowsWithP99 == 0)
                {
                    missing.Add("no p99 latency measured");
                }
                else if (c.RowsWithP99 < c.Rows)
                {
                    missing.Add($"p99 latency measured on only {c.RowsWithP99} of {c.Rows} rows");
                }
                if (c.RetryWeight == 0)
                {
                    missing.Add("no retry rate measured");
                }
                if (c.TimeoutWeight == 0)
                {
                    missing.Add("no timeout rate measured");
                }
                missing.Add("queue wait and rate-limit behaviour are not in these rows (request events or a simulation supply them)");
                break;
            default: // Quality-adjusted cost
                foreach (var w in metrics.Workloads.Where(w => w.Best is not null))
                {
                    found.Add($"{w.Workload}: acceptance {Share(w.Best!.AcceptedOutputRate)} and review cost {Usd(w.Best.ReviewCostPerOutputUsd)} per output on the best route");
                }
                if (!c.AllRequestsKnown)
                {
                    missing.Add("some rows give no requests count: their sample size, and so their confidence interval, is unknown");
                }
                var small = groups.Where(g => g.SmallSample == true).ToList();
                if (small.Count > 0)
                {
                    missing.Add($"{small.Count} group(s) measured on fewer than {MetricsOptions.SmallSampleOutputs} outputs (small samples)");
                }
                if (c.FallbackRoutes == 0)
                {
                    missing.Add("no fallback route recorded: blended cost per accepted output with fallback cannot be reported");
                }
                if (c.RowsWithoutCost > 0)
                {
                    missing.Add($"{c.RowsWithoutCost} row(s) without costUsd: their cost is modeled from the price catalog, not observed");
                }
                break;
        }
        return new LeverEvidence(lever.Lever, lever.Question, lever.Impact, found, missing);
    }

    private static WorkloadCharts Charts(WorkloadHeadline headline, List<GroupMetrics> groups)
    {
        var labels = DistinctLabels(groups);
        bool Misses(GroupMetrics g) => headline.TargetP95Ms is { } t && g.LatencyP95Ms > t;
        var costBars = groups.Where(g => g.CostPerAcceptedOutputUsd is not null)
            .Select(g => new BarDatum(labels[g] + (Misses(g) ? " ✗" : ""), g.Route ?? "", (double)g.CostPerAcceptedOutputUsd!.Value, Misses(g)))
            .ToList();
        var notDrawn = groups.Where(g => g.CostPerAcceptedOutputUsd is null).Select(g => $"{labels[g]}: {g.CostReason}").ToList();
        var seriesNames = DistinctSeries(groups);
        var series = groups.GroupBy(g => seriesNames[g])
            .Select(s => new LineSeries(s.Key, s.OrderBy(g => g.Concurrency).Select(g => new LinePoint(g.Concurrency ?? 0, g.LatencyP95Ms)).ToList()))
            .ToList();
        var tokens = groups.Select(g => new PairedBar(labels[g], g.InputTokens, g.CacheAdjustedInputTokens)).ToList();
        var costTitle = $"Cost per accepted output by route — {headline.Workload}" + (headline.TargetP95Ms is { } target && costBars.Any(b => b.MissesTarget) ? $" (✗ p95 above the {Ms(target)} target)" : "");
        return new WorkloadCharts(
            headline.Workload,
            new BarChart(costTitle, "USD per accepted output", costBars, null, null) { NotDrawn = notDrawn },
            new LineChart($"p95 latency against concurrency — {headline.Workload}", "concurrent requests", "p95 latency (ms)", series,
                headline.TargetP95Ms, headline.TargetP95Ms is null ? null : "p95 target"),
            new PairedBarChart($"Raw vs cache-adjusted input tokens — {headline.Workload}", "input tokens per output", "raw input tokens", "cache-adjusted input tokens", tokens));
    }

    /// <summary>"route · model · c=N" per group, with the provider added where two groups would otherwise read the same:
    /// no two bars or legend entries are identical.</summary>
    private static Dictionary<GroupMetrics, string> DistinctLabels(List<GroupMetrics> groups)
    {
        var plain = groups.ToDictionary(g => g, g => $"{g.Route} · {g.Model} · c={g.Concurrency}");
        var clashes = plain.Values.GroupBy(v => v).Where(v => v.Count() > 1).Select(v => v.Key).ToHashSet();
        return groups.ToDictionary(g => g, g => clashes.Contains(plain[g]) ? $"{g.Route} · {g.Provider} · {g.Model} · c={g.Concurrency}" : plain[g]);
    }

    private static Dictionary<GroupMetrics, string> DistinctSeries(List<GroupMetrics> groups)
    {
        var plain = groups.ToDictionary(g => g, g => $"{g.Route} · {g.Model}");
        var providers = groups.GroupBy(g => plain[g]).Where(s => s.Select(g => g.Provider).Distinct().Count() > 1).Select(s => s.Key).ToHashSet();
        return groups.ToDictionary(g => g, g => providers.Contains(plain[g]) ? $"{g.Route} · {g.Provider} · {g.Model}" : plain[g]);
    }

    /// <summary>The first page's answer for one workload.</summary>
    private static WorkloadAnswer Answer(WorkloadHeadline w, List<GroupMetrics> groups, IReadOnlyList<PriceGapWarning> warnings)
    {
        var target = w.TargetP95Ms is { } t ? $"p95 ≤ {Ms(t)}" : null;
        var missing = new List<string>();
        if (w.Best is not { } best)
        {
            var fastest = groups.Where(g => g.CostPerAcceptedOutputUsd is not null).OrderBy(g => g.LatencyP95Ms).FirstOrDefault();
            missing.Add(fastest is null
                ? "a measurement with a defined cost per accepted output"
                : $"a route that meets the p95 target: the fastest measured, {fastest.Route} · {fastest.Model} (c={fastest.Concurrency}), is at {Ms(fastest.LatencyP95Ms)}");
            AddCommonGaps(missing, groups, null);
            return new WorkloadAnswer(w.Workload, target, "No route qualifies", "—", "—", missing.Take(3).ToList());
        }
        var winner = $"{best.Route} · {best.Model} ({best.Provider}, concurrency {best.Concurrency}): {Usd(best.CostPerAcceptedOutputUsd!.Value)} per accepted output" +
                     (best.CostPerAcceptedOutputInterval is { } i ? $" (95% interval {Usd(i.Low ?? 0)}–{(i.High is { } h ? Usd(h) : "unbounded")})" : " (no interval: no requests count)") +
                     $", p95 {Ms(best.LatencyP95Ms)}";
        var margin = w.RunnerUp is { } r && w.SavingVsRunnerUpUsd is { } saving && w.SavingVsRunnerUpShare is { } share
            ? $"{Share(share)} ({Usd(saving)}) cheaper than {r.Route} · {r.Model} ({r.Provider}, c={r.Concurrency}) at {Usd(r.CostPerAcceptedOutputUsd!.Value)}"
            : "the only route that meets the target";
        var certainty = w.RankingSettled switch
        {
            true => "Settled: the 95% intervals do not overlap",
            false => "Not settled: the 95% intervals overlap with " + string.Join(", ", w.OverlapsWith),
            _ => w.RunnerUp is null ? "Nothing to rank against" : "Not settled by sample size: " + (w.Ranking ?? ""),
        };
        if (w.RankingSettled == false)
        {
            missing.Add($"more outputs on {best.Model} and its rivals: their 95% intervals overlap");
        }
        foreach (var unsized in w.WithoutSampleSize)
        {
            missing.Add($"a requests count for {unsized}: its sample size, and so its interval, is unknown");
        }
        if (best.SmallSample == true)
        {
            missing.Add($"at least {MetricsOptions.SmallSampleOutputs} outputs on {best.Model} (only {best.Requests} measured)");
        }
        if (best.CostSource != "observed")
        {
            missing.Add($"an observed cost for {best.Model}: its cost is {best.CostSource} from the price catalog");
        }
        AddCommonGaps(missing, groups, warnings);
        return new WorkloadAnswer(w.Workload, target, winner, margin, certainty, missing.Distinct().Take(3).ToList());
    }

    private static void AddCommonGaps(List<string> missing, List<GroupMetrics> groups, IReadOnlyList<PriceGapWarning>? warnings)
    {
        if (!groups.Any(g => GpuHourRate.BilledPerGpuHour(g.Route)))
        {
            missing.Add("a measured capacity route (dedicated, self-hosted or owned): their costs here are estimates");
        }
        var noGpuCount = groups.Where(g => g.ImpliedGpus is not null).Select(g => $"{g.Route} · {g.Model}").Distinct().ToList();
        if (noGpuCount.Count > 0)
        {
            missing.Add($"gpuCount for {string.Join(", ", noGpuCount)}: the GPU-hour cost is unchecked");
        }
        if (groups.All(g => g.FallbackRoute is null))
        {
            missing.Add("a fallback route and share (for the blended cost with fallback)");
        }
        if (groups.All(g => g.LatencyP99Ms is null))
        {
            missing.Add("p99 latency");
        }
        if (groups.All(g => g.TimeoutRate is null))
        {
            missing.Add("timeout rate (from request events or a simulation)");
        }
        foreach (var warning in (warnings ?? []).Where(x => x.MinGapShare is not null && groups.Any(g => x.Groups.Contains(g.Label))))
        {
            missing.Add($"a check of the {warning.Provider} bill for {warning.Model}: observed cost over 10% off the catalog");
        }
    }

    private static string Usd(decimal value) => Fmt.Usd(value);
    private static string Ms(double value) => Fmt.Ms(value);
    private static string Share(double? value) => Fmt.Share(value);
}
