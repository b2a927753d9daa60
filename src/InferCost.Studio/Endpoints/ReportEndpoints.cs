using System.Text;
using InferCost.Reports;
using InferCost.Studio.Hosting;
using InferCost.Studio.Pages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InferCost.Studio.Endpoints;

/// <summary>Reports: <c>GET /api/report?format=md|html|json</c> renders the same <see cref="Core.Reporting.ReportModel"/>
/// as <c>infercost report</c> with ReportMarkdown, ReportHtml or ReportJson; the Reports page links them.</summary>
public static class ReportEndpoints
{
    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/report", Download)
            .WithTags("Reports").WithName("GetReport")
            .WithSummary("The buyer report as report.md, report.html or report.json (format=md|html|json), as infercost report writes them.");
        app.MapGet("/reports", Page).ExcludeFromDescription();
        return app;
    }

    internal static Results<FileContentHttpResult, ProblemHttpResult> Download([AsParameters] MetricsQuery query, string? format, StudioData data)
    {
        if (!query.TryBuild(out var options, out var problem))
        {
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
        }
        (Action<TextWriter, Core.Reporting.ReportModel> Render, string ContentType, string Name)? renderer = format switch
        {
            "md" => (ReportMarkdown.Write, "text/markdown; charset=utf-8", "report.md"),
            "html" => (ReportHtml.Write, "text/html; charset=utf-8", "report.html"),
            "json" or null => (ReportJson.Write, "application/json; charset=utf-8", "report.json"),
            _ => null,
        };
        if (renderer is not { } r)
        {
            return TypedResults.Problem($"format '{format}' must be md, html or json.", statusCode: StatusCodes.Status400BadRequest);
        }
        var snapshot = data.Snapshot();
        if (snapshot.IsEmpty)
        {
            return StudioProblems.EmptyLedger(data.Store.Path);
        }
        var model = data.Report(snapshot, query, options, out var missing);
        if (model is null)
        {
            return StudioProblems.Unpriced(missing);
        }
        var writer = new StringWriter { NewLine = "\n" };
        r.Render(writer, model);
        return TypedResults.File(new UTF8Encoding(false).GetBytes(writer.ToString()), r.ContentType, r.Name);
    }

    internal static ContentHttpResult Page([AsParameters] MetricsQuery query, StudioData data)
    {
        query.TryBuild(out var options, out _);
        var snapshot = data.Snapshot();
        var body = new StringBuilder();
        if (snapshot.IsEmpty)
        {
            body.Append("<p>No traces yet: <a href=\"/import\">import a trace file</a> first.</p>");
            return StudioPages.Html(Layout.Page("Reports", "Reports", body.ToString()));
        }
        var q = query.QueryString();
        var join = q.Length == 0 ? "?" : q + "&";
        body.Append("<p>The buyer report, built from the same report model as <code>infercost report</code>, over ")
            .Append(Html.E(snapshot.Summary.TotalRows.ToString(System.Globalization.CultureInfo.InvariantCulture))).Append(" ledger rows.</p>");
        body.Append(AssumptionsForm.Render("/reports", query, options));
        body.Append("<ul class=\"downloads\">");
        body.Append("<li><a download href=\"/api/report").Append(Html.E(join)).Append("format=md\">report.md</a> (Markdown)</li>");
        body.Append("<li><a download href=\"/api/report").Append(Html.E(join)).Append("format=html\">report.html</a> (self-contained HTML with charts)</li>");
        body.Append("<li><a download href=\"/api/report").Append(Html.E(join)).Append("format=json\">report.json</a> (infercost.report/v1)</li>");
        body.Append("<li><a download=\"metrics.csv\" href=\"/api/metrics").Append(Html.E(join)).Append("format=csv\">metrics.csv</a> (every group; spreadsheet-safe)</li>");
        body.Append("</ul>");
        return StudioPages.Html(Layout.Page("Reports", "Reports", body.ToString()));
    }
}
