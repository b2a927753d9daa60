using InferCost.Studio.Pages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InferCost.Studio.Endpoints;

/// <summary>The Procurement page. The procurement matrix (issue 7) is not merged into this build yet; the page says so.</summary>
public static class ProcurementEndpoints
{
    public static IEndpointRouteBuilder MapProcurement(this IEndpointRouteBuilder app)
    {
        app.MapGet("/procurement", Page).ExcludeFromDescription();
        return app;
    }

    internal static ContentHttpResult Page() => StudioPages.Html(Layout.Page("Procurement", "Procurement",
        "<p class=\"notice warning\" role=\"status\">Not yet available in this build: the procurement matrix (gates, readiness, recommendations) arrives with issue 7.</p>"));
}
