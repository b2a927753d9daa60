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
        o.Write($"Reviewer time is priced at **${m.Assumptions.ReviewerUsdPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture)}/hour**. Percentiles are {m.Assumptions.Percentiles}.\n\n");

        o.Write("## Headline per workload\n\n");
        o.Write("| workload | p95 target | best route | model | concurrency | cost per accepted output | 95% interval | p95 | vs runner-up | ranking |\n");
        o.Write("|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var w in m.Headlines)
        {
            var target = w.TargetP95Ms is { } t ? $"{Fmt.Ms(t)} ({w.TargetSource})" : "none";
            if (w.Best is { } b)
            {
                var saving = w.SavingVsRunnerUpShare is { } s ? $"{Fmt.Share(s)} cheaper than {Md(w.RunnerUp!.Label)}" : "only qualifying group";
                o.Write($"| {Md(w.Workload)} | {target} | {Md(b.Route)} | {Md(b.Model)} | {b.Concurrency} | {Fmt.Usd(b.CostPerAcceptedOutputUsd)} | {Interval(b)} | {Fmt.Ms(b.LatencyP95Ms)} | {saving} | {Ranking(w)} |\n");
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

        o.Write("\n## Every route measured\n\n");
        o.Write("| workload | route | provider | model | concurrency | cost per accepted output | model cost per accepted output | acceptance | p95 | p99 | cache hit rate | cache-adjusted input tokens | throughput headroom (tok/s) | batch-eligible | retry rate | utilization | fallback route | outputs |\n");
        o.Write("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var g in m.Groups)
        {
            var cost = g.CostPerAcceptedOutputUsd is null ? $"null ({Md(g.CostReason)})" : Fmt.Usd(g.CostPerAcceptedOutputUsd);
            var p95 = Fmt.Ms(g.LatencyP95Ms) + (g.PercentileSource == "row-max" ? " (worst row)" : string.Empty);
            var n = Fmt.Integer(g.Requests) + (g.SmallSample == true ? " (small sample)" : string.Empty);
            o.Write($"| {Md(g.Workload)} | {Md(g.Route)} | {Md(g.Provider)} | {Md(g.Model)} | {g.Concurrency} | {cost} | {Fmt.Usd(g.ModelCostPerAcceptedOutputUsd)} | {Fmt.Share(g.AcceptedOutputRate)} | {p95} | {Fmt.Ms(g.LatencyP99Ms)} | {Fmt.Share(g.CacheHitRate)} | {Fmt.Number(g.CacheAdjustedInputTokens)} | {Fmt.Number(g.ThroughputHeadroomTokensPerSecond)} | {Fmt.Share(g.BatchEligibleShare)} | {Fmt.Number(g.RetryRate, "0.##")} | {Fmt.Share(g.Utilization)} | {Md(g.FallbackRoute ?? "—")} | {n} |\n");
        }

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
            o.Write("\n");
        }

        if (m.Procurement is { } procurement)
        {
            ProcurementMarkdown.WriteSection(o, procurement, "##");
        }

        o.Write("## Assumptions\n\n");
        o.Write($"- Reviewer rate: ${m.Assumptions.ReviewerUsdPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture)} per hour.\n");
        o.Write($"- p95 targets: {TargetsText(m)}.\n");
        o.Write($"- Combining rows: {Md(m.Assumptions.Weighting)}.\n");
        o.Write($"- Percentiles: {Md(m.Assumptions.Percentiles)}.\n");
        o.Write($"- Confidence: {Md(m.Assumptions.Interval)}; fewer than {m.Assumptions.SmallSampleOutputs} outputs is a small sample.\n\n");

        o.Write("## Inputs\n\n");
        foreach (var i in m.Inputs)
        {
            o.Write($"- `{Md(i.Path)}` ({i.Format}, {Fmt.Integer(i.Rows)} rows, sha256 `{i.Sha256[..Math.Min(16, i.Sha256.Length)]}`)\n");
        }

        o.Write("\n## Source trail\n\n");
        foreach (var s in m.SourceTrail)
        {
            o.Write($"- [{Md(s.Label)}]({s.Url}): {Md(s.Signal)}\n");
        }
    }

    internal static string Interval(GroupMetrics g) => g.CostPerAcceptedOutputInterval is { } i
        ? $"{Fmt.Usd(i.Low)}–{(i.High is null ? "unbounded" : Fmt.Usd(i.High))}"
        : "n/a (no requests count)";

    internal static string Ranking(WorkloadHeadline w) => w.RankingSettled switch
    {
        true => "settled",
        false => "not settled: overlaps " + string.Join(", ", w.OverlapsWith),
        _ => "unknown (no sample sizes)",
    };

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
