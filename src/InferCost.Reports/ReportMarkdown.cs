using InferCost.Core.Curves;
using InferCost.Core.Formatting;
using InferCost.Core.Metrics;
using InferCost.Core.Reporting;

namespace InferCost.Reports;

/// <summary>report.md: the report model as GitHub-flavoured Markdown.</summary>
public static class ReportMarkdown
{
    public static void Write(TextWriter o, ReportModel m)
    {
        o.Write($"# {m.Title}\n\n");
        o.Write($"> {m.RecommendedMetric}\n\n");
        WriteAnswers(o, m);
        o.Write($"**How the number is computed:** `{MetricsAssumptions.CostPerAcceptedOutputFormula}`, reviewer time at **${m.Assumptions.ReviewerUsdPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture)}/hour**: {Md(MetricsAssumptions.FormulaNote)}. Percentiles are {m.Assumptions.Percentiles}.\n\n");

        o.Write("\n## Every route measured: cost and acceptance\n\n");
        o.Write($"{MissLegend}\n\n");
        o.Write("| workload | route | provider | model | concurrency | cost per accepted output | 95% interval | cost source | model cost per accepted output | playbook literal | acceptance | outputs | p95 against target |\n");
        o.Write("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var g in m.Groups)
        {
            var cost = g.CostPerAcceptedOutputUsd is null ? $"null ({Md(g.CostReason)})" : Fmt.Usd(g.CostPerAcceptedOutputUsd);
            var n = Fmt.Integer(g.Requests) + (g.SmallSample == true ? " (small sample)" : string.Empty);
            o.Write($"| {Md(g.Workload)} | {Md(g.Route)} | {Md(g.Provider)} | {Md(g.Model)} | {g.Concurrency} | {cost} | {Interval(g)} | {Md(CostSourceText(g))} | {Fmt.Usd(g.ModelCostPerAcceptedOutputUsd)} | {Fmt.Usd(g.PlaybookCostPerAcceptedOutputUsd)} | {Fmt.Share(g.AcceptedOutputRate)} | {n} | {Md(TargetText(m, g))} |\n");
        }

        o.Write("\n## Every route measured: latency, cache and capacity\n\n");
        o.Write("| workload | route | model | concurrency | p95 | p99 | cache hit rate | cache-adjusted input tokens | throughput headroom (tok/s) | batch-eligible | retry rate | utilization | fallback route |\n");
        o.Write("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var g in m.Groups)
        {
            o.Write($"| {Md(g.Workload)} | {Md(g.Route)} | {Md(g.Model)} | {g.Concurrency} | {Md(P95Text(m, g))} | {Fmt.Ms(g.LatencyP99Ms)} | {Fmt.Share(g.CacheHitRate)} | {Fmt.Number(g.CacheAdjustedInputTokens)} | {Fmt.Number(g.ThroughputHeadroomTokensPerSecond)} | {Fmt.Share(g.BatchEligibleShare)} | {Fmt.Number(g.RetryRate, "0.##")} | {Fmt.Share(g.Utilization)} | {Md(g.FallbackRoute ?? "—")} |\n");
        }

        if (m.PriceGapWarnings.Count > 0)
        {
            o.Write("\nObserved cost against the price catalog (token rows against live token prices, GPU-hour rows against GPU-hour economics):\n\n");
            foreach (var warning in m.PriceGapWarnings)
            {
                o.Write($"- {Md(warning.Sentence)}\n");
            }
        }

        WriteBreakEvens(o, m);

        o.Write("\n## Assumptions\n\n");
        o.Write($"- Reviewer rate: ${m.Assumptions.ReviewerUsdPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture)} per hour.\n");
        o.Write($"- p95 targets: {Md(TargetsText(m))}.\n");
        o.Write($"- Combining rows: {Md(m.Assumptions.Weighting)}.\n");
        o.Write($"- Percentiles: {Md(m.Assumptions.Percentiles)}.\n");
        o.Write($"- Confidence: {Md(m.Assumptions.Interval)}; fewer than {m.Assumptions.SmallSampleOutputs} outputs is a small sample.\n\n");

        o.Write("---\n\n# Appendix\n\n");
        o.Write("Detail behind the answer: cost curves per workload, the playbook's route cards and cost levers, the procurement matrix, inputs and sources.\n");
        o.Write("\n## Headline per workload in detail\n\n");
        o.Write("| workload | p95 target | best route | model | concurrency | cost per accepted output | 95% interval | p95 | vs runner-up | ranking |\n");
        o.Write("|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var w in m.Headlines)
        {
            var target = w.TargetP95Ms is { } t ? Md($"{Fmt.Ms(t)} ({w.TargetSource})") : "none";
            if (w.Best is { } b)
            {
                var saving = w.SavingVsRunnerUpShare is { } s ? $"{Fmt.Share(s)} cheaper than {Md(w.RunnerUp!.Label)}" : "only qualifying group";
                o.Write($"| {Md(w.Workload)} | {target} | {Md(b.Route)} | {Md(b.Model)} | {b.Concurrency} | {Fmt.Usd(b.CostPerAcceptedOutputUsd)} | {Interval(b)} | {Fmt.Ms(b.LatencyP95Ms)} | {saving} | {Md(Ranking(w))} |\n");
            }
            else
            {
                o.Write($"| {Md(w.Workload)} | {target} | **none** | — | — | — | — | — | — | {Md(w.Reason)} |\n");
            }
        }
        o.Write("\n");
        foreach (var w in m.Headlines)
        {
            o.Write($"- **{Md(w.Workload)}**: {Md(w.Reason)}; batch displacement share {Fmt.Share(w.BatchDisplacementShare)}.\n");
        }

        WriteCurves(o, m);

        o.Write("\n## Route cards\n\n");
        foreach (var r in m.RouteCards)
        {
            o.Write($"### {Md(r.Route)}\n\n");
            o.Write($"- **Best for:** {Md(r.BestFor)}\n");
            o.Write($"- **Cost drivers:** {Md(string.Join(", ", r.CostDrivers))}\n");
            o.Write($"- **Watch-outs:** {Md(r.Watchouts)}\n");
            o.Write($"- **Buyer decision:** {Md(r.BuyerDecision)}\n");
            o.Write($"- **What this data says:** {Md(r.Finding)}\n\n");
        }

        o.Write("## Cost levers\n\n");
        foreach (var l in m.Levers)
        {
            o.Write($"### {Md(l.Lever)}\n\n*{Md(l.Question)}* {Md(l.Impact)}\n\n");
            foreach (var f in l.Found)
            {
                o.Write($"- Evidence: {Md(f)}\n");
            }
            foreach (var x in l.Missing)
            {
                o.Write($"- **Missing:** {Md(x)}\n");
            }
            if (l.Found.Count == 0 && l.Missing.Count == 0)
            {
                o.Write("- Nothing in these traces speaks to this lever.\n");
            }
            o.Write("\n");
        }

        if (m.Procurement is { } procurement)
        {
            ProcurementMarkdown.WriteSection(o, procurement, "##");
        }

        o.Write("## Inputs\n\n");
        foreach (var i in m.Inputs)
        {
            o.Write($"- `{Md(i.Path)}` ({i.Format}, {Fmt.Integer(i.Rows)} rows, sha256 `{i.Sha256[..Math.Min(16, i.Sha256.Length)]}`)\n");
        }
        if (m.Inputs.Count == 0)
        {
            o.Write("- No input files were recorded.\n");
        }

        o.Write("\n## Source trail\n\n");
        foreach (var s in m.SourceTrail)
        {
            o.Write($"- [{Md(s.Label)}]({s.Url}): {Md(s.Signal)}\n");
        }
    }

    /// <summary>The first screen: per workload the winner, by how much, how sure, and the top missing evidence.</summary>
    private static void WriteAnswers(TextWriter o, ReportModel m)
    {
        o.Write("## The answer per workload\n\n");
        if (m.Answers.Count == 0)
        {
            o.Write("No workload was measured: the traces hold no rows.\n\n");
            return;
        }
        o.Write("| workload | winner | by how much | how sure | top missing evidence |\n|---|---|---|---|---|\n");
        foreach (var a in m.Answers)
        {
            var missing = a.MissingEvidence.Count == 0 ? "none found" : string.Join("; ", a.MissingEvidence.Select((x, i) => $"{i + 1}. {Md(x)}"));
            o.Write($"| **{Md(a.Workload)}**{(a.TargetText is { } t ? $" ({Md(t)})" : "")} | {Md(a.Winner)} | {Md(a.Margin)} | {Md(a.Certainty)} | {missing} |\n");
        }
        o.Write("\n");
    }

    /// <summary>The break-even volumes of every workload's capacity routes, or why there are none.</summary>
    private static void WriteBreakEvens(TextWriter o, ReportModel m)
    {
        o.Write("\n## Break-even volumes\n\n");
        if (m.CostCurves.Count == 0)
        {
            o.Write("Not computed: the report was built without a price catalog, so no route could be priced against volume.\n");
            return;
        }
        var rows = m.CostCurves.SelectMany(c => c.BreakEvens.Select(b => (c.Workload, b))).ToList();
        if (rows.Count > 0)
        {
            o.Write("| workload | capacity route | against | break-even |\n|---|---|---|---|\n");
            foreach (var (workload, b) in rows)
            {
                o.Write($"| {Md(workload)} | {Md(b.Route)} | {Md(b.Against)} | {Md(CurveText.BreakEvenText(b))} |\n");
            }
            o.Write("\n");
        }
        foreach (var c in m.CostCurves.Where(c => c.BreakEvens.Count == 0))
        {
            o.Write($"- **{Md(c.Workload)}**: no break-even: {Md(NoBreakEvenReason(c))}.\n");
        }
    }

    internal static string NoBreakEvenReason(CostCurve c) => (c.PerTokenRoutes.Count, c.CapacityRoutes.Count) switch
    {
        (0, 0) => "no route could be priced" + (c.Omitted.Count > 0 ? " (" + string.Join("; ", c.Omitted) + ")" : ""),
        (0, _) => "no per-token route to compare the capacity routes with",
        (_, 0) => "no capacity route could be priced" + (c.Omitted.Count > 0 ? " (" + string.Join("; ", c.Omitted) + ")" : ""),
        _ => "the capacity routes never cross the per-token routes in the range drawn",
    };

    /// <summary>Marks rows above their workload's p95 target, in words the table cell can hold.</summary>
    internal const string MissLegend = "✗ marks a row whose p95 is above its workload's target: it cannot win that workload.";

    internal static double? TargetOf(ReportModel m, GroupMetrics g) => m.Headlines.FirstOrDefault(h => h.Workload == g.Workload)?.TargetP95Ms;

    internal static bool Misses(ReportModel m, GroupMetrics g) => TargetOf(m, g) is { } t && g.LatencyP95Ms > t;

    internal static string TargetText(ReportModel m, GroupMetrics g) => TargetOf(m, g) is not { } t
        ? "no target"
        : g.LatencyP95Ms > t ? $"✗ {Fmt.Ms(g.LatencyP95Ms)}, above {Fmt.Ms(t)}" : "meets";

    internal static string P95Text(ReportModel m, GroupMetrics g) =>
        (Misses(m, g) ? "✗ " : "") + Fmt.Ms(g.LatencyP95Ms) + (g.PercentileSource == "row-max" ? " (worst row)" : string.Empty);

    private static void WriteCurves(TextWriter o, ReportModel m)
    {
        o.Write("\n## Cost curves\n\n");
        if (m.CostCurves.Count == 0)
        {
            o.Write("Not computed: the report was built without a price catalog.\n");
            return;
        }
        o.Write($"Cost per accepted output (review included) against monthly accepted outputs, 10^3 to 10^9. Prices: {Md(string.Join(" + ", m.CostCurves[0].Assumptions.PriceCatalogs))}; demand {Md(m.CostCurves[0].Assumptions.Demand)}.\n");
        foreach (var curve in m.CostCurves)
        {
            o.Write($"\n### {Md(curve.Workload)}\n\n");
            o.Write("| route | priced as | from |\n|---|---|---|\n");
            foreach (var r in curve.PerTokenRoutes)
            {
                o.Write($"| {Md(r.Route)} | {Fmt.Usd(r.CostPerAcceptedOutputUsd)} per accepted output at any volume ({r.CostSource}){(r.MeetsP95Target ? "" : "; misses the p95 target")} | {Md(r.Group)}{(r.PriceSources.Count > 0 ? "; " + Md(string.Join("; ", r.PriceSources)) : "")} |\n");
            }
            foreach (var r in curve.CapacityRoutes)
            {
                o.Write($"| {Md(r.Route)} | {r.GpuCount} × {Md(r.GpuType ?? "GPU")} at ${r.UsdPerGpuHour.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)}/GPU-hour, {Fmt.Number(r.AcceptedOutputsPerSecondPerReplica, "0.###")} accepted outputs/s per replica{(r.Estimate ? " (estimate: fit's decode ceiling, not measured)" : "")}{(r.FixedUsdPerMonth > 0 ? $", operations ${Fmt.Number((double)r.FixedUsdPerMonth, "#,0")}/month" : "")}{(r.MeetsP95Target ? "" : "; misses the p95 target")} | {Md(r.Basis)}; {Md(r.Source ?? r.HourlyPriceSource)}{(r.Replica is { } replica ? "; replica: " + Md(replica.Assumption) : "")} |\n");
            }
            foreach (var omitted in curve.Omitted)
            {
                o.Write($"| — | not drawn | {Md(omitted)} |\n");
            }
            var routes = curve.Points.SelectMany(p => p.Routes.Keys).Distinct().OrderBy(Core.Contract.Routes.Order).ToList();
            if (routes.Count > 0)
            {
                o.Write($"\n| accepted outputs / month | {string.Join(" | ", routes.Select(Md))} |\n|---|{string.Concat(routes.Select(_ => "---|"))}\n");
                foreach (var point in curve.Points.Where(p => Math.Abs(Math.Log10(p.MonthlyAcceptedOutputs) % 1) < 1e-9))
                {
                    o.Write($"| {Fmt.Number(point.MonthlyAcceptedOutputs, "#,0")} | {string.Join(" | ", routes.Select(r => point.Routes.TryGetValue(r, out var rp) ? Fmt.Usd(rp.CostPerAcceptedOutputUsd) + (rp.Replicas is { } n ? $" ({n} replica{(n == 1 ? "" : "s")})" : "") : "—"))} |\n");
                }
            }
            if (curve.BreakEvens.Count == 0)
            {
                o.Write($"\nNo break-even: {Md(NoBreakEvenReason(curve))}.\n");
            }
            else
            {
                o.Write("\n| capacity route | against | break-even |\n|---|---|---|\n");
                foreach (var b in curve.BreakEvens)
                {
                    o.Write($"| {Md(b.Route)} | {Md(b.Against)} | {Md(CurveText.BreakEvenText(b))} |\n");
                }
            }
            o.Write($"\n- **Driver that matters most:** {Md(curve.MostSensitiveDriver ?? "none (no route could be priced)")}.\n");
        }
    }

    /// <summary>"observed", "modeled", "mixed", with the batch-lane live price and an observed-vs-modeled gap when there is one.</summary>
    internal static string CostSourceText(GroupMetrics g)
    {
        var text = g.CostSource;
        if (g.LiveModeledCostPerOutputUsd is { } live)
        {
            text += $" (batch lane {Fmt.Usd(g.ModeledCostPerOutputUsd)} per output; live {Fmt.Usd(live)})";
        }
        else if (g.ModeledCostPerOutputUsd is { } modeled && g.CostSource != "observed")
        {
            text += $" ({Fmt.Usd(modeled)} per output)";
        }
        if (g.ObservedVsModeledGapShare is { } gap)
        {
            text += $"; observed vs catalog {(gap >= 0 ? "+" : "")}{Fmt.Share(gap)}{(g.ObservedVsModeledGapFlagged == true ? " (over 10%)" : "")}";
        }
        return text;
    }

    internal static string Interval(GroupMetrics g) => g.CostPerAcceptedOutputInterval is { } i
        ? $"{Fmt.Usd(i.Low)}–{(i.High is null ? "unbounded" : Fmt.Usd(i.High))}"
        : "n/a (no requests count)";

    internal static string Ranking(WorkloadHeadline w) => w.Ranking ?? "—";

    internal static string TargetsText(ReportModel m)
    {
        var parts = m.Headlines.Select(w => w.TargetP95Ms is { } t ? $"{w.Workload} {Fmt.Ms(t)} (from {w.TargetSource})" : $"{w.Workload}: none, every group qualifies").ToList();
        return parts.Count == 0 ? "none" : string.Join("; ", parts);
    }


    /// <summary>Escapes text for a Markdown table cell: pipes, HTML angle brackets and line breaks.</summary>
    internal static string Md(string? text) => (text ?? "—")
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("|", "\\|", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\r", " ", StringComparison.Ordinal)
        .Replace("\n", " ", StringComparison.Ordinal);
}
