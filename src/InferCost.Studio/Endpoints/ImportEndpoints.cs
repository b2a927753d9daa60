using System.Text;
using InferCost.Core.Formatting;
using InferCost.Core.Reading;
using InferCost.Ledger;
using InferCost.Reports;
using InferCost.Studio.Hosting;
using InferCost.Studio.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InferCost.Studio.Endpoints;

/// <summary>Import: <c>POST /api/import</c> for scripts and the Import page's form post. Both copy the upload to a
/// temp file and call <see cref="TraceLedger.Import"/>, one transaction: on any invalid row nothing is imported.</summary>
public static class ImportEndpoints
{
    public static IEndpointRouteBuilder MapImport(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/import", PostApi)
            .WithTags("Import").WithName("Import")
            .WithSummary("Imports one trace file: multipart field 'file'; optional 'format' (auto, the default, detects by content; or contract, events or an importer such as vllm-bench or openai); optional fill-ins 'route', 'workload', 'provider', 'model', 'concurrency' for formats that do not log them. 422 with infercost.validation/v1 when invalid (nothing is imported then), 422 when no format fits the content, 400 for an unknown format.")
            .Accepts<IFormFile>("multipart/form-data")
            .DisableAntiforgery(); // Scripts have no form token; CrossSiteGuard refuses browser posts from other sites instead.
        app.MapGet("/import", GetPage).ExcludeFromDescription();
        app.MapPost("/import", PostPage).ExcludeFromDescription().DisableAntiforgery(); // validated by hand below, after the size check
        return app;
    }

    internal static async Task<Results<JsonHttpResult<object>, ProblemHttpResult>> PostApi(HttpContext context, StudioSettings settings, LedgerStore store, CancellationToken cancel)
    {
        var (form, problem) = await Uploads.ReadFormAsync(context, settings, cancel);
        if (problem is not null)
        {
            return TypedResults.Problem(problem.Message, statusCode: problem.StatusCode);
        }
        var (upload, saveProblem) = await Uploads.SaveAsync(form!, settings, cancel);
        if (saveProblem is not null)
        {
            return TypedResults.Problem(saveProblem.Message, statusCode: saveProblem.StatusCode);
        }
        using (upload)
        {
            var outcome = Run(store, upload!, out var ledgerProblem);
            if (outcome is null)
            {
                return TypedResults.Problem(ledgerProblem, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            if (!outcome.Committed)
            {
                return TypedResults.Json(ValidationJson.Document(Results(outcome)), ReportJson.Options, statusCode: StatusCodes.Status422UnprocessableEntity);
            }
            return TypedResults.Json<object>(new
            {
                schema = "infercost.import/v1",
                ledger = store.Path,
                rowsImported = outcome.RowsImported,
                eventsImported = outcome.EventsImported,
                nothingNew = outcome.NothingNew,
                files = outcome.Files.Select(f => new
                {
                    path = f.Source.Path,
                    format = f.Source.FormatName ?? TraceFormats.Name(f.Source.Format),
                    importFormat = upload!.ImportFormat,
                    detected = upload.Detected,
                    filled = upload.Filled,
                    sha256 = f.Source.Sha256,
                    status = f.Status,
                    rows = f.Result?.ValidRows,
                    warnings = f.Result?.Diagnostics.Warnings.Count ?? 0,
                    previousImportId = f.PreviousImportId,
                    previousPath = f.PreviousPath,
                }),
            }, ReportJson.Options);
        }
    }

    internal static ContentHttpResult GetPage(HttpContext context, IAntiforgery antiforgery, StudioData data) =>
        StudioPages.Html(ImportPage.Render(antiforgery.GetAndStoreTokens(context), data.Snapshot(), null));

    internal static async Task<ContentHttpResult> PostPage(HttpContext context, IAntiforgery antiforgery, StudioSettings settings, StudioData data, CancellationToken cancel)
    {
        var (form, problem) = await Uploads.ReadFormAsync(context, settings, cancel);
        ImportPage.Result result;
        if (problem is not null)
        {
            result = new ImportPage.Result(problem.Message, null, null);
        }
        else if (!await antiforgery.IsRequestValidAsync(context))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            result = new ImportPage.Result("The form expired or did not come from Studio; reload the page and upload again.", null, null);
        }
        else
        {
            var (upload, saveProblem) = await Uploads.SaveAsync(form!, settings, cancel);
            if (saveProblem is not null)
            {
                context.Response.StatusCode = saveProblem.StatusCode;
                result = new ImportPage.Result(saveProblem.Message, null, null);
            }
            else
            {
                using (upload)
                {
                    var outcome = Run(data.Store, upload!, out var ledgerProblem);
                    result = new ImportPage.Result(ledgerProblem, outcome, upload!.Label, upload);
                }
            }
        }
        if (result.Problem is not null && context.Response.StatusCode == StatusCodes.Status200OK)
        {
            context.Response.StatusCode = result.Outcome is null ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity;
        }
        else if (result.Outcome is { Committed: false })
        {
            context.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        return StudioPages.Html(ImportPage.Render(antiforgery.GetAndStoreTokens(context), data.Snapshot(), result));
    }

    private static ImportOutcome? Run(LedgerStore store, UploadedTrace upload, out string? problem)
    {
        problem = null;
        try
        {
            return store.Import([upload.ToImportSource()]);
        }
        catch (LedgerException ex)
        {
            problem = ex.Message;
            return null;
        }
    }

    internal static IReadOnlyList<TraceFileResult> Results(ImportOutcome outcome) =>
        outcome.Files.Where(f => f.Result is not null).Select(f => f.Result!).ToList();
}
