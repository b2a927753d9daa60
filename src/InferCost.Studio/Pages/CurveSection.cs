using System.Globalization;
using System.Text;
using InferCost.Core.Curves;
using InferCost.Core.Formatting;
using InferCost.Core.Metrics;
using InferCost.Core.Reporting;
using InferCost.Reports;
using InferCost.Studio.Endpoints;
using InferCost.Studio.Hosting;

namespace InferCost.Studio.Pages;

/// <summary>The Workload page's cost curve: sliders (a plain GET form, so it works without script; studio.js
/// swaps the panel in place as a slider moves) and the panel — chart, break-evens, the cheapest route at the
/// reference volume and the most sensitive driver.</summary>
internal static class CurveSection
{
    public static string Render(string workload, MetricsQuery query, MetricsOptions options, CurveEndpoints.Sliders sliders, StudioData data, LedgerSnapshot snapshot)
    {
        var html = new StringBuilder("<section aria-labelledby=\"curve-h\" id=\"curve\"><h2 id=\"curve-h\">Cost curve and break-even</h2>");
        html.Append("<p>Move a slider to ask what if: multipliers apply to the measured and priced values (1 = as measured). The curve and break-even update in place.</p>");
        html.Append("<form method=\"get\" action=\"/workload/").Append(Html.U(workload)).Append("\" id=\"curve-controls\" class=\"sliders\" data-panel=\"/workload/")
            .Append(Html.U(workload)).Append("/curve\" aria-label=\"What-if assumptions\">");
        if (query.TargetP95Ms is { Length: > 0 } target)
        {
            html.Append("<input type=\"hidden\" name=\"targetP95Ms\" value=\"").Append(Html.E(target)).Append("\">");
        }
        html.Append(Slider("tokenPrice", "Token price", sliders.TokenPrice, 0.25, 2, 0.05, "×"));
        html.Append(Slider("gpuPrice", "GPU price", sliders.GpuPrice, 0.25, 2, 0.05, "×"));
        html.Append(Slider("cacheHitRate", "Cache hit rate", sliders.CacheHitRate, 0.25, 3, 0.05, "×"));
        html.Append(Slider("acceptance", "Acceptance rate", sliders.Acceptance, 0.5, 1.5, 0.05, "×"));
        html.Append(Slider("reviewerUsdPerHour", "Reviewer rate, USD per hour", (double)options.ReviewerUsdPerHour, 0, 300, 5, "$"));
        html.Append(Slider("volumeLog10", "Volume, accepted outputs per month (log10)", Math.Log10(sliders.Volume), 3, 9, 0.25, "10^"));
        html.Append("<span></span><button type=\"submit\">Apply</button></form>");
        var curve = data.Curve(snapshot, workload, query, options, sliders.Adjustments, sliders.Volume, out var missing);
        html.Append("<div id=\"curve-panel\" aria-live=\"polite\">");
        html.Append(curve is null ? StudioProblems.UnpricedHtml(missing) : Panel(curve));
        return html.Append("</div></section>").ToString();
    }

    /// <summary>The part the sliders redraw.</summary>
    public static string Panel(CostCurve curve)
    {
        var html = new StringBuilder("<figure class=\"chart\" id=\"curve-chart\">");
        html.Append(SvgCharts.LogLines(ReportBuilder.CurveChart(curve))).Append("</figure>");
        var headline = curve.BreakEvens
            .Where(b => b.MonthlyAcceptedOutputs is not null)
            .OrderBy(b => b.MonthlyAcceptedOutputs)
            .FirstOrDefault();
        // A break-even between routes that all miss the target is no recommendation: say that first.
        var noneMeets = curve.PerTokenRoutes.Count + curve.CapacityRoutes.Count > 0
            && curve.PerTokenRoutes.All(r => !r.MeetsP95Target) && curve.CapacityRoutes.All(r => !r.MeetsP95Target);
        if (noneMeets)
        {
            html.Append("<p class=\"notice warning\" id=\"no-route-meets\">").Append(Html.E(
                $"No route meets the p95 target{(curve.Assumptions.TargetP95Ms is { } t ? " of " + Fmt.Ms(t) : "")}: every route below is drawn from its best group, which misses it, so neither the break-even nor the cheapest route is a recommendation.")).Append("</p>");
        }
        html.Append("<p class=\"breakeven\" id=\"breakeven\">").Append(Html.E(headline is null
            ? "No break-even: no capacity route becomes cheaper than a per-token route between 1,000 and 1,000,000,000 accepted outputs a month."
            : $"Break-even{(noneMeets ? " (every route misses the p95 target)" : "")}: {headline.Route} is no dearer than {headline.Against} from {headline.MonthlyAcceptedOutputs!.Value.ToString("#,0", CultureInfo.InvariantCulture)} accepted outputs a month"
              + (headline.Replicas is { } n && headline.BreakEvenUtilization is { } u ? $", with {n.ToString("#,0", CultureInfo.InvariantCulture)} replica{(n == 1 ? "" : "s")} at {Fmt.Share(u)} average utilization." : ".")))
            .Append("</p>");
        var reference = curve.Points.OrderBy(p => Math.Abs(Math.Log10(p.MonthlyAcceptedOutputs) - Math.Log10(curve.Assumptions.ReferenceMonthlyAcceptedOutputs))).FirstOrDefault();
        if (reference is not null && reference.Routes.Count > 0)
        {
            var cheapest = reference.Routes.MinBy(r => r.Value.CostPerAcceptedOutputUsd);
            html.Append("<p id=\"cheapest\">").Append(Html.E($"At {reference.MonthlyAcceptedOutputs.ToString("#,0", CultureInfo.InvariantCulture)} accepted outputs a month the cheapest route is {cheapest.Key} at {Fmt.Usd(cheapest.Value.CostPerAcceptedOutputUsd)} per accepted output.")).Append("</p>");
        }
        html.Append(Html.Table("Break-even volumes", ["Capacity route", "Against", "Break-even, accepted outputs per month", "Replicas there, average utilization", "Why none"],
            curve.BreakEvens.Select(b => (IReadOnlyList<string>)
            [
                Html.E(b.Route), Html.E(b.Against),
                Html.E(b.MonthlyAcceptedOutputs is { } v ? v.ToString("#,0", CultureInfo.InvariantCulture) : "never"),
                Html.E(b.Replicas is { } n ? $"{n.ToString("#,0", CultureInfo.InvariantCulture)} at {Fmt.Share(b.BreakEvenUtilization)}" : "—"), Html.E(b.Reason ?? string.Empty),
            ]), id: "breakevens"));
        foreach (var omitted in curve.Omitted)
        {
            html.Append("<p class=\"null\">").Append(Html.E("Not drawn: " + omitted)).Append("</p>");
        }
        if (curve.MostSensitiveDriver is { } driver)
        {
            html.Append("<p>").Append(Html.E("Most sensitive: " + driver)).Append("</p>");
        }
        foreach (var note in curve.Assumptions.Notes.Where(n => n.StartsWith("what-if", StringComparison.Ordinal)))
        {
            html.Append("<p class=\"notice warning\">").Append(Html.E(note)).Append("</p>");
        }
        return html.ToString();
    }

    private static string Slider(string name, string label, double value, double min, double max, double step, string unit)
    {
        var v = Math.Clamp(value, min, max).ToString("0.###", CultureInfo.InvariantCulture);
        return $"<label for=\"{name}\">{Html.E(label)}</label>" +
               $"<input type=\"range\" id=\"{name}\" name=\"{name}\" min=\"{min.ToString(CultureInfo.InvariantCulture)}\" max=\"{max.ToString(CultureInfo.InvariantCulture)}\" step=\"{step.ToString(CultureInfo.InvariantCulture)}\" value=\"{v}\" data-unit=\"{Html.E(unit)}\">" +
               $"<output for=\"{name}\" id=\"{name}-value\">{Html.E(unit == "10^" ? "10^" + v : unit == "$" ? "$" + v : "×" + v)}</output>";
    }
}
