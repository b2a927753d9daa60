using System.Globalization;
using System.Text;
using InferCost.Core.Fit;
using InferCost.Studio.Pages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InferCost.Studio.Endpoints;

/// <summary>Fit: <c>GET /api/fit</c> answers what <c>infercost fit --format json</c> prints (FitJsonWriter) for
/// catalog models and GPUs; the Fit page shows the same result as the CLI's table. Model files are not read here:
/// Studio never opens a path a request names.</summary>
public static class FitEndpoints
{
    public sealed record FitQuery(string? Model, string? Gpu, int? Gpus, string? Context, int? Batch, string? Weights, string? Kv);

    public static IEndpointRouteBuilder MapFit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/fit", Api).WithTags("Fit").WithName("GetFit")
            .WithSummary("Memory and context fit of a catalog model on a catalog GPU (infercost.fit/v1), as infercost fit --format json.");
        app.MapGet("/fit", Page).ExcludeFromDescription();
        return app;
    }

    internal static Results<ContentHttpResult, ProblemHttpResult> Api([AsParameters] FitQuery query)
    {
        var result = Compute(query, out var problem);
        if (result is null)
        {
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
        }
        var json = new StringWriter { NewLine = "\n" };
        FitJsonWriter.Write(result, json);
        return TypedResults.Content(json.ToString(), "application/json; charset=utf-8");
    }

    internal static ContentHttpResult Page([AsParameters] FitQuery query, HttpContext context)
    {
        var body = new StringBuilder();
        body.Append("<form method=\"get\" action=\"/fit\" class=\"stack\" aria-label=\"Fit inputs\">");
        body.Append(Html.Select("model", "Model", ModelCatalog.BuiltIn.Models.Select(m => m.Name), query.Model));
        body.Append(Html.Select("gpu", "GPU", GpuCatalog.BuiltIn.Gpus.Select(g => g.Name), query.Gpu));
        body.Append(Html.Field("gpus", "GPUs per replica", (query.Gpus ?? 1).ToString(CultureInfo.InvariantCulture), "number", attributes: "min=\"1\" max=\"1024\""));
        body.Append(Html.Field("context", "Context tokens per session (k = ×1024)", query.Context ?? "32k"));
        body.Append(Html.Field("batch", "Concurrent sessions", (query.Batch ?? 1).ToString(CultureInfo.InvariantCulture), "number", attributes: "min=\"1\""));
        body.Append(Html.Select("weights", "Weight precision", ["native", "bf16", "fp16", "fp8", "int8", "int4"], query.Weights ?? "native"));
        body.Append(Html.Select("kv", "KV-cache precision", ["bf16", "fp16", "fp8"], query.Kv ?? "bf16"));
        body.Append("<button type=\"submit\">Check fit</button></form>");
        if (query.Model is not null || query.Gpu is not null)
        {
            var result = Compute(query, out var problem);
            if (result is null)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                body.Append(Html.Notice("error", problem!));
            }
            else
            {
                var table = new StringWriter { NewLine = "\n" };
                FitTableWriter.Write(result, table);
                body.Append("<section aria-labelledby=\"fit-h\"><h2 id=\"fit-h\">").Append(result.Plan.Fits ? "It fits" : "It does not fit").Append("</h2>");
                body.Append("<pre class=\"result\" tabindex=\"0\">").Append(Html.E(table.ToString())).Append("</pre>");
                body.Append("<p><a href=\"/api/fit").Append(Html.E(context.Request.QueryString.Value)).Append("\">The same as JSON</a></p></section>");
            }
        }
        return StudioPages.Html(Layout.Page("Fit", "Fit", body.ToString()));
    }

    internal static FitResult? Compute(FitQuery query, out string? problem)
    {
        problem = null;
        var model = ModelCatalog.BuiltIn.Find(query.Model ?? string.Empty).Match;
        var gpu = GpuCatalog.BuiltIn.Find(query.Gpu ?? string.Empty).Match;
        if (model is null || gpu is null)
        {
            problem = model is null
                ? $"model '{query.Model}' is not in the model catalog; known: {string.Join(", ", ModelCatalog.BuiltIn.Models.Select(m => m.Name))}."
                : $"gpu '{query.Gpu}' is not in the GPU catalog; known: {string.Join(", ", GpuCatalog.BuiltIn.Gpus.Select(g => g.Name))}.";
            return null;
        }
        if (!TokenCount.TryParse(query.Context ?? string.Empty, out var tokens))
        {
            problem = $"context '{query.Context}' is not a whole number of tokens ≥ 1 (e.g. 8192 or 128k).";
            return null;
        }
        if (query.Gpus is < 1 or > 1024 || query.Batch is < 1)
        {
            problem = "gpus must be between 1 and 1024 and batch at least 1.";
            return null;
        }
        var weights = model.Architecture.NativeWeights;
        if (query.Weights is { Length: > 0 } w && w != "native" && !PrecisionFormat.TryParseWeights(w, out weights))
        {
            problem = $"weights '{w}' must be native, bf16, fp16, fp8, int8 or int4.";
            return null;
        }
        var kv = KvPrecision.Bf16;
        if (query.Kv is { Length: > 0 } k && !PrecisionFormat.TryParseKv(k, out kv))
        {
            problem = $"kv '{k}' must be bf16, fp16 or fp8.";
            return null;
        }
        return FitCalculator.Compute(new FitRequest
        {
            Model = model.Architecture,
            Gpu = gpu,
            GpuCount = query.Gpus ?? 1,
            ContextTokens = tokens,
            Batch = query.Batch ?? 1,
            Weights = weights,
            Kv = kv,
            Alternatives = GpuCatalog.BuiltIn.Gpus,
        });
    }
}
