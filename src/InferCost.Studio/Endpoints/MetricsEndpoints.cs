using InferCost.Reports;
using InferCost.Studio.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InferCost.Studio.Endpoints;

/// <summary><c>GET /api/metrics</c> (the document <c>infercost metrics --format json</c> prints, or its CSV) and
/// <c>GET /api/ledger</c> (imports and rows per route and workload, as <c>ledger info</c> shows).</summary>
public static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Metrics");
        api.MapGet("/metrics", GetMetrics)
            .WithName("GetMetrics")
            .WithSummary("Derived metrics per group and headline per workload (infercost.metrics/v1), or CSV with format=csv.");
        api.MapGet("/ledger", GetLedger)
            .WithName("GetLedger")
            .WithSummary("The ledger's imports (provenance) and rows per route and workload.");
        return app;
    }

    internal static Results<JsonHttpResult<object>, ContentHttpResult, ProblemHttpResult> GetMetrics([AsParameters] MetricsQuery query, string? format, StudioData data)
    {
        if (!query.TryBuild(out var options, out var problem))
        {
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
        }
        if (format is not (null or "json" or "csv"))
        {
            return TypedResults.Problem($"format '{format}' must be json or csv.", statusCode: StatusCodes.Status400BadRequest);
        }
        var snapshot = data.Snapshot();
        if (snapshot.IsEmpty)
        {
            return StudioProblems.EmptyLedger(data.Store.Path);
        }
        var result = data.Metrics(snapshot, query, options, out var missing);
        if (result is null)
        {
            return StudioProblems.Unpriced(missing);
        }
        if (format == "csv")
        {
            var csv = new StringWriter { NewLine = "\n" };
            MetricsCsv.Write(csv, result);
            return TypedResults.Content(csv.ToString(), "text/csv; charset=utf-8");
        }
        return TypedResults.Json(MetricsJson.Document(result, snapshot.Inputs), ReportJson.Options);
    }

    internal static JsonHttpResult<object> GetLedger(StudioData data)
    {
        var snapshot = data.Snapshot();
        var summary = snapshot.Summary;
        return TypedResults.Json<object>(new
        {
            schema = "infercost.ledger/v1",
            path = data.Store.Path,
            totalRows = summary.TotalRows,
            totalEvents = snapshot.EventCount,
            imports = summary.Imports,
            counts = summary.Counts,
        }, ReportJson.Options);
    }
}
