using System.Globalization;
using System.Text;
using InferCost.Core.Formatting;
using InferCost.Core.Simulation;
using InferCost.Reports;
using InferCost.Studio.Pages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InferCost.Studio.Endpoints;

/// <summary>Simulate: the seeded simulator of <c>infercost simulate</c> (Core's <see cref="Simulator"/>) with the
/// common knobs — Poisson arrivals, exponential service, replicas, timeout, retries, replica price. The CLI keeps
/// the rest (measured service, replay, autoscaling, rate limits, replica search).</summary>
public static class SimulateEndpoints
{
    /// <summary>Runs longer than this are refused: the page must answer while the user waits.</summary>
    public const long MaxRequests = 1_000_000;

    public sealed record SimulateQuery(string? Rate, string? MeanServiceMs, int? Replicas, int? MaxConcurrency, long? Requests, long? Seed,
        string? TimeoutMs, int? Retries, string? UsdPerReplicaHour);

    public static IEndpointRouteBuilder MapSimulate(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/simulate", Api).WithTags("Simulate").WithName("Simulate")
            .WithSummary("Runs the seeded capacity simulation (Poisson arrivals, exponential service) and returns every output metric; null values carry a reason.");
        app.MapGet("/simulate", Page).ExcludeFromDescription();
        return app;
    }

    internal static Results<JsonHttpResult<object>, ProblemHttpResult> Api([AsParameters] SimulateQuery query)
    {
        var run = Run(query, out var problem);
        if (run is null)
        {
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
        }
        var (result, cost) = run.Value;
        var nullReasons = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var metrics = new SortedDictionary<string, double?>(StringComparer.Ordinal);
        foreach (var metric in SimulationMetrics.All)
        {
            var value = metric.Read(result);
            metrics[metric.Name] = value is { } v && double.IsFinite(v) ? v : null;
            if (metrics[metric.Name] is null)
            {
                nullReasons[metric.Name] = result.NullReasons.TryGetValue(metric.Name, out var reason) ? reason : "not defined for this run";
            }
        }
        return TypedResults.Json<object>(new
        {
            schema = "infercost.studio-simulation/v1",
            assumptions = new { arrivals = "Poisson", service = "exponential", warmup = "first 10% of the run excluded", seed = result.Seed, result.Replicas, result.MaxConcurrencyPerReplica },
            result = metrics,
            cost,
            nullReasons,
        }, ReportJson.Options);
    }

    internal static ContentHttpResult Page([AsParameters] SimulateQuery query, HttpContext context)
    {
        var body = new StringBuilder("<p>Capacity and tail latency under load, from the same seeded simulator as <code>infercost simulate</code>. The same seed gives the same result.</p>");
        body.Append("<form method=\"get\" action=\"/simulate\" class=\"stack\" aria-label=\"Simulation inputs\">");
        body.Append(Html.Field("rate", "Arrival rate, requests per second", query.Rate ?? "8", attributes: "inputmode=\"decimal\""));
        body.Append(Html.Field("meanServiceMs", "Mean service time, ms", query.MeanServiceMs ?? "1000", attributes: "inputmode=\"decimal\""));
        body.Append(Html.Field("replicas", "Replicas", (query.Replicas ?? 10).ToString(CultureInfo.InvariantCulture), "number", attributes: "min=\"1\""));
        body.Append(Html.Field("maxConcurrency", "Requests one replica serves at once", (query.MaxConcurrency ?? 1).ToString(CultureInfo.InvariantCulture), "number", attributes: "min=\"1\""));
        body.Append(Html.Field("requests", "Requests to simulate", (query.Requests ?? 100_000).ToString(CultureInfo.InvariantCulture), "number", attributes: $"min=\"1\" max=\"{MaxRequests}\""));
        body.Append(Html.Field("timeoutMs", "Client timeout, ms (empty: none)", query.TimeoutMs, attributes: "inputmode=\"decimal\""));
        body.Append(Html.Field("retries", "Retries after a timeout", (query.Retries ?? 0).ToString(CultureInfo.InvariantCulture), "number", attributes: "min=\"0\""));
        body.Append(Html.Field("usdPerReplicaHour", "USD per replica-hour (empty: no cost)", query.UsdPerReplicaHour, attributes: "inputmode=\"decimal\""));
        body.Append(Html.Field("seed", "Seed", (query.Seed ?? 1).ToString(CultureInfo.InvariantCulture), "number", attributes: "min=\"0\""));
        body.Append("<button type=\"submit\">Simulate</button></form>");
        if (query.Rate is not null)
        {
            var run = Run(query, out var problem);
            if (run is null)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                body.Append(Html.Notice("error", problem!));
            }
            else
            {
                var (result, cost) = run.Value;
                body.Append("<section aria-labelledby=\"sim-h\"><h2 id=\"sim-h\">Result</h2>");
                if (cost is not null)
                {
                    body.Append("<p>").Append(Html.E($"Cost {Fmt.Usd(cost.CostUsd)} for {result.ReplicaHours.ToString("0.###", CultureInfo.InvariantCulture)} replica-hours; {Fmt.Usd(cost.CostPerCompletedRequestUsd)} per completed request ({cost.Source}).")).Append("</p>");
                }
                body.Append(Html.Table("Simulation output", ["Metric", "Value", "Unit"],
                    SimulationMetrics.All.Select(m => (IReadOnlyList<string>)
                    [
                        $"<span title=\"{Html.E(m.Name)}\">{Html.E(Pages.MetricNames.Readable(m.Name))}</span>",
                        m.Read(result) is { } v && double.IsFinite(v)
                            ? Html.E(v.ToString("0.###", CultureInfo.InvariantCulture))
                            : "<span class=\"null\">n/a: " + Html.E(result.NullReasons.TryGetValue(m.Name, out var reason) ? reason : "not defined for this run") + "</span>",
                        Html.E(m.Unit),
                    ]), id: "simulation"));
                body.Append("</section>");
            }
        }
        return StudioPages.Html(Layout.Page("Simulate", "Simulate", body.ToString()));
    }

    private static (SimulationResult Result, SimulationCostEstimate? Cost)? Run(SimulateQuery query, out string? problem)
    {
        problem = null;
        if (!Positive(query.Rate, out var rate) || !Positive(query.MeanServiceMs, out var meanMs))
        {
            problem = "rate and meanServiceMs must be positive numbers with a '.' decimal point.";
            return null;
        }
        double? timeout = null;
        if (!string.IsNullOrWhiteSpace(query.TimeoutMs))
        {
            if (!Positive(query.TimeoutMs, out var t))
            {
                problem = $"timeoutMs '{query.TimeoutMs}' must be a positive number of milliseconds.";
                return null;
            }
            timeout = t;
        }
        decimal? price = null;
        if (!string.IsNullOrWhiteSpace(query.UsdPerReplicaHour))
        {
            if (!decimal.TryParse(query.UsdPerReplicaHour, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p))
            {
                problem = $"usdPerReplicaHour '{query.UsdPerReplicaHour}' must be a number of USD, zero or more.";
                return null;
            }
            price = p;
        }
        var requests = query.Requests ?? 100_000;
        if (requests is < 1 or > MaxRequests)
        {
            problem = $"requests must be between 1 and {MaxRequests.ToString(CultureInfo.InvariantCulture)} here; run longer simulations with infercost simulate.";
            return null;
        }
        var config = new SimulationConfig
        {
            Arrivals = new RenewalArrivals(rate),
            Service = new ExponentialService(meanMs),
            Replicas = query.Replicas ?? 10,
            MaxConcurrencyPerReplica = query.MaxConcurrency ?? 1,
            Length = RunLength.OfRequests(requests),
            Client = new ClientPolicy { TimeoutMs = timeout, MaxRetries = query.Retries ?? 0 },
            Seed = (ulong)Math.Max(0, query.Seed ?? 1),
        };
        var problems = SimulationValidation.Validate(config);
        if (problems.Count > 0)
        {
            problem = string.Join(" ", problems);
            return null;
        }
        var result = Simulator.Run(config);
        var cost = price is { } usd ? SimulationCost.For(result, new ReplicaHourPrice(usd, "given on the Simulate page")) : null;
        return (result, cost);
    }

    private static bool Positive(string? text, out double value) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) && value > 0;
}
