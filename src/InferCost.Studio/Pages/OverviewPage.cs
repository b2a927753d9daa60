using System.Text;
using InferCost.Core.Formatting;
using InferCost.Core.Metrics;
using InferCost.Studio.Hosting;

namespace InferCost.Studio.Pages;

/// <summary>Overview: the headline per workload and every route measured, with 95% intervals.</summary>
internal static class OverviewPage
{
    public static string Render(MetricsResult result, MetricsQuery query, MetricsOptions options)
    {
        var body = new StringBuilder();
        body.Append("<p class=\"lead\">Cost per accepted output at target p95 latency: the cheapest route per workload whose p95 meets the target. ");
        body.Append(Html.E($"Review priced at ${options.ReviewerUsdPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture)}/hour.")).Append("</p>");
        body.Append(AssumptionsForm.Render("/", query, options));
        var link = query.QueryString();

        body.Append("<section aria-labelledby=\"headline-h\"><h2 id=\"headline-h\">Headline per workload</h2>");
        body.Append(Html.Table("Headline per workload",
            ["Workload", "p95 target", "Best route", "Model", "Concurrency", "Cost per accepted output", "95% interval", "p95", "Ranking"],
            result.Workloads.Select(w => (IReadOnlyList<string>)(w.Best is { } b
                ?
                [
                    $"<a href=\"/workload/{Html.U(w.Workload)}{Html.E(link)}\">{Html.E(w.Workload)}</a>", MetricsCells.Target(w), Html.E(b.Route), Html.E(b.Model),
                    Html.E(b.Concurrency), MetricsCells.Cost(b), MetricsCells.CostInterval(b), MetricsCells.P95(b), Html.E(w.Reason),
                ]
                :
                [
                    $"<a href=\"/workload/{Html.U(w.Workload)}{Html.E(link)}\">{Html.E(w.Workload)}</a>", MetricsCells.Target(w), "<strong>none</strong>", "—", "—", "—", "—", "—", Html.E(w.Reason),
                ])), id: "headlines"));
        body.Append("</section>");

        body.Append("<section aria-labelledby=\"routes-h\"><h2 id=\"routes-h\">Every route measured</h2>");
        body.Append(Html.Table("Route table",
            ["Workload", "Route", "Provider", "Model", "Concurrency", "Cost per accepted output", "95% interval", "Acceptance (95% interval)", "p95", "Cache hit rate", "Outputs"],
            result.Groups.Select(g => (IReadOnlyList<string>)
            [
                Html.E(g.Workload), Html.E(g.Route), Html.E(g.Provider), Html.E(g.Model), Html.E(g.Concurrency),
                MetricsCells.Cost(g), MetricsCells.CostInterval(g), MetricsCells.Acceptance(g), MetricsCells.P95(g, MetricsCells.TargetOf(result.Workloads, g)),
                Html.E(Fmt.Share(g.CacheHitRate)), MetricsCells.Outputs(g),
            ]), id: "routes"));
        body.Append("<p><small>").Append(Html.E($"Intervals: {result.Assumptions.Interval}. Percentiles: {result.Assumptions.Percentiles}.")).Append("</small></p></section>");
        return Layout.Page("Overview", "Overview", body.ToString());
    }

    public static string Empty(string ledgerPath) => Layout.Page("Overview", "Overview",
        $"<p>The ledger <code>{Html.E(ledgerPath)}</code> holds no traces yet.</p><p><a href=\"/import\">Import a trace file</a> to see cost per accepted output per route.</p>");
}
