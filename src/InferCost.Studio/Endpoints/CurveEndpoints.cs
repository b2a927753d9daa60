using System.Globalization;
using InferCost.Core.Curves;
using InferCost.Reports;
using InferCost.Studio.Hosting;
using InferCost.Studio.Pages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InferCost.Studio.Endpoints;

/// <summary>Cost curves: <c>GET /api/curve?workload=W&amp;…</c> answers what <c>infercost curve --workload W --format json</c>
/// prints (with the sliders' what-if multipliers when given), and <c>GET /workload/{name}/curve</c> the HTML panel the
/// Workload page's sliders swap in without a reload.</summary>
public static class CurveEndpoints
{
    /// <summary>The sliders: multipliers on token price, GPU price, cache hit rate and acceptance, and the reference volume.</summary>
    public sealed record Sliders(double TokenPrice, double GpuPrice, double CacheHitRate, double Acceptance, double Volume, string? Problem)
    {
        public const double MinMultiplier = 0.1;
        public const double MaxMultiplier = 5;

        public CurveAdjustments Adjustments => new(TokenPrice, GpuPrice, CacheHitRate, Acceptance);

        public static Sliders From(IQueryCollection query)
        {
            var problems = new List<string>();
            double Multiplier(string name)
            {
                var text = query[name].ToString();
                if (text.Length == 0)
                {
                    return 1;
                }
                if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) && v >= MinMultiplier && v <= MaxMultiplier)
                {
                    return v;
                }
                problems.Add($"{name} '{text}' must be a multiplier between {MinMultiplier.ToString(CultureInfo.InvariantCulture)} and {MaxMultiplier.ToString(CultureInfo.InvariantCulture)} (1 = as measured).");
                return 1;
            }
            var tokenPrice = Multiplier("tokenPrice");
            var gpuPrice = Multiplier("gpuPrice");
            var cache = Multiplier("cacheHitRate");
            var acceptance = Multiplier("acceptance");
            var volume = CurveInputs.DefaultReferenceMonthlyAcceptedOutputs;
            var volumeText = query["volume"].ToString();
            var logText = query["volumeLog10"].ToString();
            if (volumeText.Length > 0 || logText.Length > 0)
            {
                var ok = volumeText.Length > 0
                    ? double.TryParse(volumeText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out volume)
                    : double.TryParse(logText, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var log) && (volume = Math.Pow(10, log)) > 0;
                if (!ok || !(volume >= CostCurveBuilder.MinVolume && volume <= CostCurveBuilder.MaxVolume))
                {
                    problems.Add($"volume must be between {CostCurveBuilder.MinVolume.ToString("#,0", CultureInfo.InvariantCulture)} and {CostCurveBuilder.MaxVolume.ToString("#,0", CultureInfo.InvariantCulture)} accepted outputs per month.");
                    volume = CurveInputs.DefaultReferenceMonthlyAcceptedOutputs;
                }
            }
            return new Sliders(tokenPrice, gpuPrice, cache, acceptance, Math.Round(volume), problems.Count == 0 ? null : string.Join(" ", problems));
        }
    }

    public static IEndpointRouteBuilder MapCurves(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/curve", Api).WithTags("Curves").WithName("GetCurve")
            .WithSummary("Cost per accepted output against monthly volume for every route of a workload, break-evens and sensitivity (infercost.curve/v1), as infercost curve --format json. What-if multipliers: tokenPrice, gpuPrice, cacheHitRate, acceptance; volume sets the reference volume; format=svg draws the chart.");
        app.MapGet("/workload/{name}/curve", Panel).ExcludeFromDescription();
        return app;
    }

    internal static Results<JsonHttpResult<object>, ContentHttpResult, ProblemHttpResult> Api(string? workload, string? format, [AsParameters] MetricsQuery query, StudioData data, HttpContext context)
    {
        var (curve, problem) = Build(workload, query, data, context.Request.Query);
        if (curve is null)
        {
            return problem!;
        }
        return format switch
        {
            "svg" => TypedResults.Content(SvgCharts.Standalone(SvgCharts.LogLines(Core.Reporting.ReportBuilder.CurveChart(curve))), "image/svg+xml; charset=utf-8"),
            null or "json" => TypedResults.Json(CurveJson.Document(curve, data.Snapshot().Inputs), ReportJson.Options),
            _ => TypedResults.Problem($"format '{format}' must be json or svg.", statusCode: StatusCodes.Status400BadRequest),
        };
    }

    internal static ContentHttpResult Panel(string name, [AsParameters] MetricsQuery query, StudioData data, HttpContext context)
    {
        var (curve, problem) = Build(WorkloadEndpoints.Name(context, name), query, data, context.Request.Query);
        if (curve is null)
        {
            context.Response.StatusCode = problem!.StatusCode;
            return TypedResults.Content(Html.Notice("error", problem.ProblemDetails.Detail ?? "The curve cannot be drawn."), "text/html; charset=utf-8");
        }
        return TypedResults.Content(CurveSection.Panel(curve), "text/html; charset=utf-8");
    }

    private static (CostCurve? Curve, ProblemHttpResult? Problem) Build(string? workload, MetricsQuery query, StudioData data, IQueryCollection raw)
    {
        if (string.IsNullOrWhiteSpace(workload))
        {
            return (null, TypedResults.Problem("workload is required, e.g. /api/curve?workload=support-policy.", statusCode: StatusCodes.Status400BadRequest));
        }
        if (!query.TryBuild(out var options, out var queryProblem))
        {
            return (null, TypedResults.Problem(queryProblem, statusCode: StatusCodes.Status400BadRequest));
        }
        var sliders = Sliders.From(raw);
        if (sliders.Problem is not null)
        {
            return (null, TypedResults.Problem(sliders.Problem, statusCode: StatusCodes.Status400BadRequest));
        }
        var snapshot = data.Snapshot();
        if (snapshot.IsEmpty)
        {
            return (null, StudioProblems.EmptyLedger(data.Store.Path));
        }
        var curve = data.Curve(snapshot, workload, query, options, sliders.Adjustments, sliders.Volume, out var missing);
        if (curve is null)
        {
            return (null, missing.Count > 0
                ? StudioProblems.Unpriced(missing)
                : TypedResults.Problem($"The workload \"{workload}\" is not in the ledger; its workloads are: {string.Join(", ", WorkloadEndpoints.Workloads(data, snapshot))}.", statusCode: StatusCodes.Status404NotFound));
        }
        return (curve, null);
    }
}
