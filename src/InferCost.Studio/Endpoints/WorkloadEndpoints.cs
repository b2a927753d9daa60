using InferCost.Studio.Hosting;
using InferCost.Studio.Pages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InferCost.Studio.Endpoints;

/// <summary>The Workload pages: <c>GET /workload</c> lists workloads, <c>GET /workload/{name}</c> shows one.</summary>
public static class WorkloadEndpoints
{
    public static IEndpointRouteBuilder MapWorkloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/workload", List).ExcludeFromDescription();
        app.MapGet("/workload/{name}", Get).ExcludeFromDescription();
        return app;
    }

    internal static ContentHttpResult List([AsParameters] MetricsQuery query, StudioData data)
    {
        var snapshot = data.Snapshot();
        if (snapshot.IsEmpty)
        {
            return StudioPages.Html(OverviewPage.Empty(data.Store.Path));
        }
        return StudioPages.Html(WorkloadPage.List(Workloads(snapshot), query.QueryString()));
    }

    internal static ContentHttpResult Get(string name, [AsParameters] MetricsQuery query, StudioData data, HttpContext context)
    {
        var snapshot = data.Snapshot();
        if (!query.TryBuild(out var options, out var problem))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return StudioPages.Html(Layout.Page("Workload", "Workload", Html.Notice("error", problem!)));
        }
        var workloads = Workloads(snapshot);
        if (!workloads.Contains(name, StringComparer.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return StudioPages.Html(WorkloadPage.NotFound(name, workloads));
        }
        var report = data.Report(snapshot, query, options, out var missing);
        if (report is null)
        {
            return StudioPages.Html(Layout.Page("Workload", "Workload", StudioProblems.UnpricedHtml(missing)));
        }
        var sliders = CurveEndpoints.Sliders.From(context.Request.Query);
        return StudioPages.Html(WorkloadPage.Render(name, report, query, options, CurveSection.Render(name, query, options, sliders, data, snapshot)));
    }

    internal static IReadOnlyList<string> Workloads(LedgerSnapshot snapshot) =>
        snapshot.Summary.Counts.Select(c => c.Workload).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
