using System.Globalization;
using System.Text;
using InferCost.Core.Contract;
using InferCost.Core.Formatting;
using InferCost.Core.Metrics;
using InferCost.Core.Pricing;
using InferCost.Core.Simulation;
using InferCost.Core.Sizing;
using InferCost.Reports;
using InferCost.Studio.Hosting;
using InferCost.Studio.Pages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InferCost.Studio.Endpoints;

/// <summary>Simulate: the seeded simulator of <c>infercost simulate</c> (Core's <see cref="Simulator"/>) with the
/// common knobs — Poisson arrivals, exponential service or the measured service of a route/workload of the ledger
/// (built by Core's <see cref="MeasuredRoutes"/>, as the CLI builds it), replicas, timeout, retries, replica price.
/// The CLI keeps the rest (replay, autoscaling, rate limits, replica search). Query parameters are the CLI's flag
/// names in camelCase.</summary>
public static class SimulateEndpoints
{
    /// <summary>Runs longer than this are refused: the page must answer while the user waits.</summary>
    public const long MaxRequests = 1_000_000;

    public sealed record SimulateQuery(string? Rate, string? MeanServiceMs, int? Replicas, int? MaxConcurrency, long? Requests, long? Seed,
        string? TimeoutMs, int? Retries, string? UsdPerReplicaHour, string? Service = null, string? Route = null, string? Workload = null,
        string? Model = null, string? Gpu = null, int? GpuCount = null);

    /// <summary>One run and everything said about its inputs.</summary>
    private sealed record Run(SimulationConfig Config, SimulationResult Result, SimulationCostEstimate? Cost, string? PriceMissing,
        RowsService? Rows, ReplicaShape? Replica, int WantedConcurrency);

    public static IEndpointRouteBuilder MapSimulate(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/simulate", Api).WithTags("Simulate").WithName("Simulate")
            .WithSummary("Runs the seeded capacity simulation (Poisson arrivals; exponential service, or service=measured with route and workload from the ledger's rows) and returns every output metric; null values carry a reason.");
        app.MapGet("/simulate", Page).ExcludeFromDescription();
        return app;
    }

    internal static Results<JsonHttpResult<object>, ProblemHttpResult> Api([AsParameters] SimulateQuery query, StudioData data)
    {
        var run = Execute(query, data, out var problem);
        if (run is null)
        {
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
        }
        var result = run.Result;
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
        if (run.Cost is null)
        {
            nullReasons["cost"] = run.PriceMissing ?? "no price given: give usdPerReplicaHour or gpu";
        }
        object service = run.Config.Service switch
        {
            MeasuredService m => new
            {
                model = "measured",
                source = ServiceSource(run),
                traceRows = run.Rows is { } rows ? new { rows.Source.Route, rows.Source.Workload, model = rows.Model, measured = rows.Source.Label, input = rows.Source.Input, concurrencies = rows.Source.Concurrencies } : null,
                m.OutputTokensCv,
                points = m.Points.Select(p => new { p.Concurrency, p.TtftMs, p.OutputTokensPerSecond, p.OutputTokens }),
            },
            ExponentialService e => new { model = "exponential", meanServiceMs = e.MeanServiceMs },
            _ => new { model = run.Config.Service.ToString() },
        };
        return TypedResults.Json<object>(new
        {
            schema = "infercost.studio-simulation/v1",
            assumptions = new
            {
                arrivals = "Poisson",
                service,
                warmup = "first 10% of the run excluded",
                seed = result.Seed,
                result.Replicas,
                result.MaxConcurrencyPerReplica,
                replica = run.Replica is { } shape ? new
                {
                    shape.GpusPerReplica,
                    gpusPerReplicaSource = shape.GpuCountSource,
                    shape.MaxSessionsPerReplica,
                    shape.MaxSessionsSource,
                    requestedConcurrencyPerReplica = run.WantedConcurrency,
                    fitCommand = shape.FitInputs?.Command,
                } : null,
            },
            result = metrics,
            cost = run.Cost,
            nullReasons,
        }, ReportJson.Options);
    }

    internal static ContentHttpResult Page([AsParameters] SimulateQuery query, StudioData data, HttpContext context)
    {
        var aggregates = Aggregates(data, out _);
        var measured = IsMeasured(query);
        var body = new StringBuilder("<p>Capacity and tail latency under load, from the same seeded simulator as <code>infercost simulate</code>. The same seed gives the same result.</p>");
        body.Append("<form method=\"get\" action=\"/simulate\" class=\"stack\" aria-label=\"Simulation inputs\">");
        body.Append(Html.Field("rate", "Arrival rate, requests per second", query.Rate ?? "8", attributes: "inputmode=\"decimal\""));
        body.Append(Html.Select("service", "Service-time model (measured: the route and workload below, from the ledger's rows)", ["exponential", "measured"], measured ? "measured" : "exponential"));
        body.Append(Html.Field("meanServiceMs", "Mean service time, ms (exponential service)", query.MeanServiceMs ?? (measured ? null : "1000"), attributes: "inputmode=\"decimal\""));
        var route = query.Route is { } r && Routes.TryNormalize(r, out var normalized) ? normalized : query.Route;
        body.Append(Html.Select("route", "Route (measured service)", aggregates.Select(a => a.Key.Route).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), route));
        body.Append(Html.Select("workload", "Workload (measured service)", aggregates.Select(a => a.Key.Workload).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal), query.Workload));
        body.Append(Html.Field("gpu", "GPU, priced from the built-in price catalog (empty: the rows' gpuType)", query.Gpu));
        body.Append(Html.Field("replicas", "Replicas", (query.Replicas ?? 10).ToString(CultureInfo.InvariantCulture), "number", attributes: "min=\"1\""));
        body.Append(Html.Field("maxConcurrency", "Requests one replica serves at once (empty: 1, or the highest measured concurrency)", query.MaxConcurrency?.ToString(CultureInfo.InvariantCulture), "number", attributes: "min=\"1\""));
        body.Append(Html.Field("requests", "Requests to simulate", (query.Requests ?? 100_000).ToString(CultureInfo.InvariantCulture), "number", attributes: $"min=\"1\" max=\"{MaxRequests}\""));
        body.Append(Html.Field("timeoutMs", "Client timeout, ms (empty: none)", query.TimeoutMs, attributes: "inputmode=\"decimal\""));
        body.Append(Html.Field("retries", "Retries after a timeout", (query.Retries ?? 0).ToString(CultureInfo.InvariantCulture), "number", attributes: "min=\"0\""));
        body.Append(Html.Field("usdPerReplicaHour", "USD per replica-hour (empty: the GPU's catalog price, or no cost)", query.UsdPerReplicaHour, attributes: "inputmode=\"decimal\""));
        body.Append(Html.Field("seed", "Seed", (query.Seed ?? 1).ToString(CultureInfo.InvariantCulture), "number", attributes: "min=\"0\""));
        body.Append("<button type=\"submit\">Simulate</button></form>");
        if (query.Rate is not null)
        {
            var run = Execute(query, data, out var problem);
            if (run is null)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                body.Append(Html.Notice("error", problem!));
            }
            else
            {
                var result = run.Result;
                body.Append("<section aria-labelledby=\"sim-h\"><h2 id=\"sim-h\">Result</h2>");
                body.Append("<ul id=\"simulation-assumptions\">");
                body.Append("<li>").Append(Html.E($"Service: {ServiceSource(run)}")).Append("</li>");
                body.Append("<li>").Append(Html.E(FormattableString.Invariant($"Replicas: {result.Replicas} × {result.MaxConcurrencyPerReplica} concurrent per replica; one shared FIFO queue"))).Append("</li>");
                if (run.Replica is { } shape)
                {
                    body.Append("<li>").Append(Html.E($"Replica: {shape.Assumption}"
                        + (result.MaxConcurrencyPerReplica < run.WantedConcurrency ? FormattableString.Invariant($"; concurrency per replica capped from {run.WantedConcurrency} to {result.MaxConcurrencyPerReplica} by fit") : ""))).Append("</li>");
                }
                body.Append("</ul>");
                if (run.Cost is { } cost)
                {
                    body.Append("<p>").Append(Html.E($"Cost {Fmt.Usd(cost.CostUsd)} for {result.ReplicaHours.ToString("0.###", CultureInfo.InvariantCulture)} replica-hours; {Fmt.Usd(cost.CostPerCompletedRequestUsd)} per completed request ({cost.Source}).")).Append("</p>");
                }
                else if (run.PriceMissing is { } missing)
                {
                    body.Append("<p>").Append(Html.E($"Cost: n/a ({missing}).")).Append("</p>");
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

    private static bool IsMeasured(SimulateQuery query) => string.Equals(query.Service, "measured", StringComparison.OrdinalIgnoreCase);

    /// <summary>Where the service times came from, as the CLI's assumptions say it.</summary>
    private static string ServiceSource(Run run) => run.Config.Service switch
    {
        MeasuredService m when run.Rows is { } rows => string.Create(CultureInfo.InvariantCulture,
            $"measured, {m.Points.Count} point(s) at concurrency {string.Join("/", m.Points.Select(p => p.Concurrency))} from the rows and events of {rows.Source.Label}, workload {rows.Source.Workload} ({rows.Source.Input}); TTFT + output tokens ÷ per-stream speed, interpolated by concurrency at admission; output-length CV {m.OutputTokensCv:0.###}"),
        ExponentialService e => string.Create(CultureInfo.InvariantCulture, $"exponential, mean {e.MeanServiceMs:0.###} ms (no first-token split)"),
        var other => other.ToString() ?? "",
    };

    /// <summary>The ledger's group sums at the default grouping (memoised per snapshot), with where they came from.</summary>
    private static IReadOnlyList<GroupAggregate> Aggregates(StudioData data, out LedgerSnapshot snapshot)
    {
        snapshot = data.Snapshot();
        return data.Store.Aggregates(snapshot, GroupDimensions.Default);
    }

    private static Run? Execute(SimulateQuery query, StudioData data, out string? problem)
    {
        problem = null;
        var service = (query.Service ?? "exponential").Trim().ToLowerInvariant();
        if (service is not ("exponential" or "measured"))
        {
            problem = $"service '{query.Service}' must be exponential or measured.";
            return null;
        }
        var measured = service == "measured";
        if (!Positive(query.Rate, out var rate))
        {
            problem = "rate must be a positive number with a '.' decimal point.";
            return null;
        }
        var meanMs = 0.0;
        if (!measured && !Positive(query.MeanServiceMs, out meanMs))
        {
            problem = "meanServiceMs must be a positive number with a '.' decimal point.";
            return null;
        }
        // route and workload are ignored with exponential service: the page's form always sends its selects.
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
        var gpu = string.IsNullOrWhiteSpace(query.Gpu) ? null : query.Gpu.Trim();
        if (price is not null && gpu is not null)
        {
            problem = "Give usdPerReplicaHour or gpu (priced from the built-in price catalog), not both.";
            return null;
        }
        if (query.GpuCount is { } count && (gpu is null || count is < 1 or > 1024))
        {
            problem = gpu is null ? "gpuCount needs gpu." : $"gpuCount {count} must be a whole number of GPUs per replica from 1 to 1024.";
            return null;
        }
        var requests = query.Requests ?? 100_000;
        if (requests is < 1 or > MaxRequests)
        {
            problem = $"requests must be between 1 and {MaxRequests.ToString(CultureInfo.InvariantCulture)} here; run longer simulations with infercost simulate.";
            return null;
        }

        RowsService? rows = null;
        string? route = null;
        if (measured)
        {
            if (string.IsNullOrWhiteSpace(query.Route) || string.IsNullOrWhiteSpace(query.Workload))
            {
                problem = "Measured service needs both route and workload, chosen from the ledger's rows.";
                return null;
            }
            if (!Routes.TryNormalize(query.Route, out route))
            {
                problem = $"route '{query.Route}' is not one of: {string.Join(", ", Routes.All)} (or an alias).";
                return null;
            }
            var aggregates = Aggregates(data, out var snapshot);
            if (aggregates.Count == 0)
            {
                problem = $"The ledger {data.Store.Path} holds no rows or events; import traces first.";
                return null;
            }
            var hardware = snapshot.Memo("hardware|default", () => data.Store.WithLedger(l => l.AggregateHardware(GroupDimensions.Default)));
            rows = MeasuredRoutes.Build(aggregates, hardware, "ledger " + data.Store.Path, route!, query.Workload.Trim(), string.IsNullOrWhiteSpace(query.Model) ? null : query.Model.Trim(),
                outputTokensCv: null, out problem);
            if (rows is null)
            {
                return null;
            }
        }
        ServiceTimeModel serviceModel = rows is not null ? rows.Service.Service : new ExponentialService(meanMs);
        var measuredMax = rows?.Service.Service.MaxMeasuredConcurrency ?? 1;
        var wanted = query.MaxConcurrency ?? measuredMax;
        var replica = MeasuredRoutes.Replica(gpu, query.GpuCount, rows, route, wanted,
            query.MaxConcurrency is not null ? "maxConcurrency" : measured ? "the highest measured concurrency" : "one request per replica (exponential service)");
        // fit's sessions per replica cap what one replica serves at once: memory, not the benchmark, sets the ceiling.
        var slots = replica?.CapConcurrency(wanted) ?? wanted;
        var replicaPrice = MeasuredRoutes.Price(price, "given on the Simulate page", gpu, replica, rows, () => PriceCatalog.BuiltIn, out var priceMissing, out var priceError);
        if (priceError is not null)
        {
            problem = priceError;
            return null;
        }
        var config = new SimulationConfig
        {
            Arrivals = new RenewalArrivals(rate),
            Service = serviceModel,
            Replicas = query.Replicas ?? 10,
            MaxConcurrencyPerReplica = slots,
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
        var cost = replicaPrice is { } usd ? SimulationCost.For(result, usd) : null;
        return new Run(config, result, cost, priceMissing, rows, replica, wanted);
    }

    private static bool Positive(string? text, out double value) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) && value > 0;
}
