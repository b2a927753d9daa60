using System.Text;
using InferCost.Core.Formatting;
using InferCost.Core.Metrics;
using InferCost.Core.Reporting;
using InferCost.Reports;
using InferCost.Studio.Hosting;

namespace InferCost.Studio.Pages;

/// <summary>Workload: p95 against concurrency, cost per accepted output by route (the report's charts), the
/// groups measured, and the cost curve section.</summary>
internal static class WorkloadPage
{
    public static string List(IReadOnlyList<string> workloads, string query)
    {
        var body = new StringBuilder("<p>Pick a workload:</p><ul>");
        foreach (var w in workloads)
        {
            body.Append("<li><a href=\"/workload/").Append(Html.U(w)).Append(Html.E(query)).Append("\">").Append(Html.E(w)).Append("</a></li>");
        }
        return Layout.Page("Workload", "Workload", body.Append("</ul>").ToString());
    }

    public static string Render(string workload, ReportModel report, MetricsQuery query, MetricsOptions options, string curveSection)
    {
        var body = new StringBuilder();
        var headline = report.Headlines.FirstOrDefault(h => h.Workload == workload);
        if (report.Answers.FirstOrDefault(a => a.Workload == workload) is { } answer)
        {
            // The answer first: which route wins, by how much, how sure, and what evidence is still missing.
            body.Append("<section aria-labelledby=\"winner-h\" id=\"winner\"><h2 id=\"winner-h\">")
                .Append(headline?.Best is null ? "No winner" : "Winner").Append("</h2>");
            body.Append("<p class=\"lead\"><strong>").Append(Html.E(answer.Winner)).Append("</strong>")
                .Append(answer.TargetText is { } target ? Html.E($" (target {target})") : "").Append("</p>");
            if (headline?.Best is not null)
            {
                body.Append("<p>").Append(Html.E($"{answer.Margin}. {answer.Certainty}.")).Append("</p>");
            }
            if (answer.MissingEvidence.Count > 0)
            {
                body.Append("<p>Missing evidence:</p><ol>");
                foreach (var missing in answer.MissingEvidence)
                {
                    body.Append("<li>").Append(Html.E(missing)).Append("</li>");
                }
                body.Append("</ol>");
            }
            body.Append("</section>");
        }
        if (headline is not null)
        {
            body.Append("<p class=\"lead\" id=\"headline\">").Append(Html.E(headline.Reason)).Append("</p>");
        }
        body.Append(AssumptionsForm.Render("/workload/" + Uri.EscapeDataString(workload), query, options));
        if (report.Charts.FirstOrDefault(c => c.Workload == workload) is { } charts)
        {
            body.Append("<section aria-labelledby=\"p95-h\"><h2 id=\"p95-h\">p95 latency against concurrency</h2><figure class=\"chart\">")
                .Append(SvgCharts.Lines(charts.P95ByConcurrency)).Append("</figure></section>");
            body.Append("<section aria-labelledby=\"cost-h\"><h2 id=\"cost-h\">Cost per accepted output by route</h2><figure class=\"chart\">")
                .Append(SvgCharts.Bars(charts.CostPerAcceptedOutput)).Append("</figure></section>");
        }
        body.Append("<section aria-labelledby=\"groups-h\"><h2 id=\"groups-h\">Groups measured</h2>");
        body.Append(Html.Table($"Groups of {workload}",
            ["Route", "Provider", "Model", "Concurrency", "Cost per accepted output", "95% interval", "Acceptance (95% interval)", "p50", "p95", "Outputs"],
            report.Groups.Where(g => g.Workload == workload).Select(g => (IReadOnlyList<string>)
            [
                Html.E(g.Route), Html.E(g.Provider), Html.E(g.Model), Html.E(g.Concurrency), MetricsCells.Cost(g), MetricsCells.CostInterval(g),
                MetricsCells.Acceptance(g), Html.E(Fmt.Ms(g.LatencyP50Ms)), MetricsCells.P95(g, headline?.TargetP95Ms), MetricsCells.Outputs(g),
            ]), id: "workload-groups"));
        body.Append("</section>");
        body.Append(curveSection);
        return Layout.Page($"Workload: {workload}", "Workload", body.ToString(), script: true);
    }

    public static string NotFound(string workload, IReadOnlyList<string> workloads) => Layout.Page("Workload", "Workload",
        Html.Notice("error", $"No workload named '{workload}' in the ledger; known workloads: {string.Join(", ", workloads)}."));
}
