using System.Text;
using InferCost.Core.Kit;
using InferCost.Core.Metrics;
using InferCost.Core.Procurement;
using InferCost.Reports;
using InferCost.Studio.Hosting;
using InferCost.Studio.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InferCost.Studio.Endpoints;

/// <summary>Procurement: a buyer profile (edited in the page or sent to <c>POST /api/procure</c>) against the ledger
/// gives the matrix of <c>infercost procure</c> — the five gates, readiness and a route stage per workload — through
/// the same Core call (<see cref="ProcurementRun"/>). Demand files are not read: Studio opens no path a request names.</summary>
public static class ProcurementEndpoints
{
    public static IEndpointRouteBuilder MapProcurement(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/procure", Api).WithTags("Procurement").WithName("Procure")
            .WithSummary("The hardware procurement matrix (JSON, as infercost procure writes hardware-procurement-matrix.json) for the profile.yaml in the multipart field 'profile' (a file or text).")
            .DisableAntiforgery(); // scripts have no form token; SecurityMiddleware refuses cross-site posts
        app.MapGet("/procurement", Page).ExcludeFromDescription();
        app.MapPost("/procurement", Post).ExcludeFromDescription().DisableAntiforgery(); // validated by hand, after the size check
        return app;
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> Api(HttpContext context, StudioSettings settings, StudioData data, CancellationToken cancel)
    {
        var (form, problem) = await Uploads.ReadFormAsync(context, settings, cancel);
        if (problem is not null)
        {
            return TypedResults.Problem(problem.Message, statusCode: problem.StatusCode);
        }
        var yaml = await ProfileText(form!, cancel);
        var (matrix, errors, status) = Compute(yaml, data);
        if (matrix is null)
        {
            return TypedResults.Problem(string.Join(" ", errors), statusCode: status);
        }
        var json = new StringWriter { NewLine = "\n" };
        ProcurementJson.Write(json, matrix);
        return TypedResults.Content(json.ToString(), "application/json; charset=utf-8");
    }

    internal static ContentHttpResult Page(HttpContext context, IAntiforgery antiforgery) =>
        StudioPages.Html(Render(antiforgery.GetAndStoreTokens(context), KitArtifacts.ExampleProfile(), null));

    internal static async Task<ContentHttpResult> Post(HttpContext context, IAntiforgery antiforgery, StudioSettings settings, StudioData data, CancellationToken cancel)
    {
        var (form, problem) = await Uploads.ReadFormAsync(context, settings, cancel);
        string yaml = string.Empty;
        string result;
        if (problem is not null)
        {
            context.Response.StatusCode = problem.StatusCode;
            result = Html.Notice("error", problem.Message);
        }
        else if (!await antiforgery.IsRequestValidAsync(context))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            result = Html.Notice("error", "The form expired or did not come from Studio; reload the page and try again.");
        }
        else
        {
            yaml = await ProfileText(form!, cancel);
            var (matrix, errors, status) = Compute(yaml, data);
            if (matrix is null)
            {
                context.Response.StatusCode = status;
                result = string.Concat(errors.Select(e => Html.Notice("error", e)));
            }
            else
            {
                var section = new StringWriter { NewLine = "\n" };
                ProcurementHtml.WriteSection(section, matrix);
                result = "<section id=\"matrix\" aria-label=\"Procurement matrix\">" + section + "</section>";
            }
        }
        return StudioPages.Html(Render(antiforgery.GetAndStoreTokens(context), yaml, result));
    }

    private static string Render(AntiforgeryTokenSet tokens, string yaml, string? result)
    {
        var body = new StringBuilder("<p>The five gates evaluated from the ledger's evidence, readiness scores, and the route stage to take per workload. Edit the buyer profile (or upload one), then evaluate.</p>");
        body.Append(result ?? string.Empty);
        body.Append("<form method=\"post\" action=\"/procurement\" enctype=\"multipart/form-data\" class=\"stack\" aria-label=\"Buyer profile\">");
        body.Append("<input type=\"hidden\" name=\"").Append(Html.E(tokens.FormFieldName)).Append("\" value=\"").Append(Html.E(tokens.RequestToken)).Append("\">");
        body.Append("<label for=\"profile\">profile.yaml</label><textarea id=\"profile\" name=\"profile\" rows=\"18\" spellcheck=\"false\">").Append(Html.E(yaml)).Append("</textarea>");
        body.Append("<label for=\"profileFile\">…or upload a profile</label><input id=\"profileFile\" name=\"profileFile\" type=\"file\" accept=\".yaml,.yml,text/yaml\">");
        body.Append("<button type=\"submit\">Evaluate</button></form>");
        return Layout.Page("Procurement", "Procurement", body.ToString());
    }

    private static async Task<string> ProfileText(IFormCollection form, CancellationToken cancel)
    {
        var file = form.Files.GetFile("profileFile") ?? form.Files.GetFile("profile");
        if (file is { Length: > 0 })
        {
            using var reader = new StreamReader(file.OpenReadStream(), detectEncodingFromByteOrderMarks: true);
            return await reader.ReadToEndAsync(cancel);
        }
        return form["profile"].ToString();
    }

    private static (ProcurementMatrix? Matrix, IReadOnlyList<string> Errors, int Status) Compute(string yaml, StudioData data)
    {
        var read = BuyerProfileReader.Read(new StringReader(yaml));
        if (!read.Succeeded)
        {
            return (null, read.Diagnostics.Errors.Select(e => e.ToSentence("profile.yaml")).DefaultIfEmpty("profile.yaml is empty or invalid.").ToList(), StatusCodes.Status422UnprocessableEntity);
        }
        if (read.Profile!.Workloads.FirstOrDefault(w => w.DemandFile is not null) is { } withFile)
        {
            return (null, [$"profile.yaml: workload {withFile.Name} names a demandFile; Studio reads no files a profile names — give demandRequestsPerHour inline, or run infercost procure."], StatusCodes.Status422UnprocessableEntity);
        }
        var snapshot = data.Snapshot();
        if (snapshot.IsEmpty)
        {
            return (null, [$"The ledger {data.Store.Path} holds no rows; import traces first."], StatusCodes.Status404NotFound);
        }
        var pricing = data.Pricing(snapshot, GroupDimensions.Default);
        if (pricing.Pricing is null)
        {
            return (null, pricing.Missing, StatusCodes.Status422UnprocessableEntity);
        }
        var matrix = ProcurementRun.Compute(read.Profile, "profile.yaml", new Dictionary<string, HourlyDemand>(), data.Store.Aggregates(snapshot, GroupDimensions.Default), pricing.Pricing, new MetricsOptions(), seed: 1);
        return (matrix, [], StatusCodes.Status200OK);
    }
}
