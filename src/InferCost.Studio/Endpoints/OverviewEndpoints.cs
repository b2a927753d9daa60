using InferCost.Studio.Hosting;
using InferCost.Studio.Pages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InferCost.Studio.Endpoints;

/// <summary><c>GET /</c>: the Overview page.</summary>
public static class OverviewEndpoints
{
    public static IEndpointRouteBuilder MapOverview(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", Get).ExcludeFromDescription();
        return app;
    }

    internal static ContentHttpResult Get([AsParameters] MetricsQuery query, StudioData data, HttpContext context)
    {
        if (!query.TryBuild(out var options, out var problem))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return StudioPages.Html(Layout.Page("Overview", "Overview", Html.Notice("error", problem!)));
        }
        var snapshot = data.Snapshot();
        if (snapshot.IsEmpty)
        {
            return StudioPages.Html(OverviewPage.Empty(data.Store.Path));
        }
        var result = data.Metrics(snapshot, query, options, out var missing);
        return StudioPages.Html(result is null
            ? Layout.Page("Overview", "Overview", StudioProblems.UnpricedHtml(missing))
            : OverviewPage.Render(result, query, options));
    }
}
