using InferCost.Core.Metrics;
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
        return StudioPages.Html(WorkloadPage.List(Workloads(data, snapshot), query.QueryString()));
    }

    internal static ContentHttpResult Get(string name, [AsParameters] MetricsQuery query, StudioData data, HttpContext context)
    {
        name = Name(context, name);
        var snapshot = data.Snapshot();
        if (!query.TryBuild(out var options, out var problem))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return StudioPages.Html(Layout.Page("Workload", "Workload", Html.Notice("error", problem!)));
        }
        var workloads = Workloads(data, snapshot);
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

    /// <summary>Every workload the Overview can link: from contract rows and from request events (the same
    /// aggregation the metrics use), not from the contract rows' counts alone.</summary>
    internal static IReadOnlyList<string> Workloads(StudioData data, LedgerSnapshot snapshot) =>
        snapshot.IsEmpty
            ? []
            : data.Store.Aggregates(snapshot, GroupDimensions.Default).Select(a => a.Key.Workload).OfType<string>()
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>The workload named by the path segment after <c>/workload/</c>, decoded exactly once from the raw
    /// request target. The server leaves <c>%2F</c> encoded in the path it routes (and decodes <c>%25</c>), so the
    /// route value cannot tell a workload "a/b" (linked as <c>a%2Fb</c>) from one literally named "a%2Fb".</summary>
    internal static string Name(HttpContext context, string routeValue)
    {
        var raw = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        const string prefix = "/workload/";
        if (raw is null || !raw.StartsWith(prefix, StringComparison.Ordinal))
        {
            return routeValue;
        }
        var segment = raw[prefix.Length..];
        var end = segment.IndexOfAny(['/', '?', '#']);
        segment = end < 0 ? segment : segment[..end];
        return Uri.UnescapeDataString(segment); // a malformed escape is left as it is, never thrown
    }
}
