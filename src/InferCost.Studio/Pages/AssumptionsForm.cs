using InferCost.Core.Metrics;
using InferCost.Studio.Hosting;

namespace InferCost.Studio.Pages;

/// <summary>The GET form that changes the reviewer rate and p95 target of a page (and its links).</summary>
internal static class AssumptionsForm
{
    public static string Render(string action, MetricsQuery query, MetricsOptions options, string? extraHidden = null) =>
        $"<form method=\"get\" action=\"{Html.E(action)}\" class=\"inline\" aria-label=\"Assumptions\">" +
        (extraHidden ?? string.Empty) +
        Html.Field("reviewerUsdPerHour", "Reviewer USD per hour", query.ReviewerUsdPerHour ?? options.ReviewerUsdPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture), "text", attributes: "inputmode=\"decimal\"", id: "assume-reviewer") +
        Html.Field("targetP95Ms", "p95 target, ms (empty: per-row targets)", query.TargetP95Ms, "text", attributes: "inputmode=\"decimal\"", id: "assume-target") +
        "<button type=\"submit\">Apply</button></form>";
}
