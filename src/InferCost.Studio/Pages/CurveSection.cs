namespace InferCost.Studio.Pages;

/// <summary>The cost-curve section of the Workload page. The price catalog and curves (issue 4) are not merged
/// into this build yet, so the section says so rather than showing invented numbers.</summary>
internal static class CurveSection
{
    public static string Render(string workload) =>
        "<section aria-labelledby=\"curve-h\" id=\"curve\"><h2 id=\"curve-h\">Cost curve and break-even</h2>" +
        "<p class=\"notice warning\" role=\"status\">Not yet available in this build: the cost curve with its sliders needs the price catalog (issue 4).</p></section>";
}
