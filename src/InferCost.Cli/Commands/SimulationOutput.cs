using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using InferCost.Core.Simulation;

namespace InferCost.Cli.Commands;

/// <summary>Renders a simulation (and a replica search) as a table or as JSON under
/// <c>infercost.simulation/v1</c>. Invariant culture; never writes NaN or Infinity (null with a reason instead).</summary>
internal sealed class SimulationOutput(SimulationPlan plan)
{
    public const string Schema = "infercost.simulation/v1";
    private const string CostBasis = "replica-hours over the measured window × USD per replica-hour";
    private const string NoPrice = "no price given: pass --gpu TYPE (priced from the price catalog) or --usd-per-replica-hour";

    public void Write(TextWriter output, SimulationResult? result, ReplicaSearchResult? search)
    {
        if (plan.Format == OutputFormat.Json)
        {
            WriteJson(output, result, search);
        }
        else
        {
            WriteTable(output, result, search);
        }
    }

    public static string FormatValue(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("0.###", CultureInfo.InvariantCulture) : "n/a";

    private static double Round(SimulationMetric metric, double value) => metric.Unit switch
    {
        "ms" => Math.Round(value, 3),
        "ratio" => Math.Round(value, 6),
        "replica-hours" => Math.Round(value, 6),
        "replicas" => Math.Round(value, 4),
        _ => value,
    };

    // ---------- table ----------

    private void WriteTable(TextWriter o, SimulationResult? result, ReplicaSearchResult? search)
    {
        o.WriteLine("Simulation (infercost.simulation/v1)");
        foreach (var line in DescribeAssumptions(result))
        {
            o.WriteLine($"  {line}");
        }
        o.WriteLine();
        if (search is not null)
        {
            o.WriteLine($"Replica search for {search.Target}:");
            foreach (var trial in search.Trials)
            {
                o.WriteLine($"  {trial.Replicas,5} replicas: {search.Target.Metric} = {FormatValue(trial.MetricValue),-12} {(trial.Met ? "meets" : "misses")}");
            }
            o.WriteLine(search.MinReplicas is { } min
                ? $"minReplicas: {min} (the fewest replicas that meet {search.Target}; results below are at that size)"
                : $"minReplicas: none ({search.NotFoundReason})");
            o.WriteLine();
        }
        if (result is null)
        {
            return;
        }
        var width = SimulationMetrics.All.Max(m => m.Name.Length) + 2;
        o.WriteLine($"{"metric".PadRight(width)}value");
        foreach (var metric in SimulationMetrics.All)
        {
            var value = metric.Read(result);
            var text = value is { } v ? FormatValue(Round(metric, v)) : "n/a";
            var unit = metric.Unit is "requests" or "attempts" or "ratio" ? "" : $" {metric.Unit}";
            var note = value is null && result.NullReasons.TryGetValue(CamelName(metric), out var reason) ? $"  ({reason})" : "";
            o.WriteLine($"{metric.Name.PadRight(width)}{text}{(value is null ? "" : unit)}{note}");
        }
        o.WriteLine();
        if (plan.Price is { } price)
        {
            var cost = SimulationCost.For(result, price);
            var perRequest = cost.CostPerCompletedRequestUsd is { } per
                ? string.Create(CultureInfo.InvariantCulture, $" (${per:0.000000} per completed request)")
                : "";
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cost: {result.ReplicaHours:0.###} replica-hours × ${cost.UsdPerReplicaHour}/replica-hour = ${cost.CostUsd:0.00}{perRequest}"));
            o.WriteLine(price.CatalogOffer is not null
                ? $"  modeled: {cost.Source}; cost = {CostBasis}."
                : $"  assumption: price from {cost.Source}; cost = {CostBasis}.");
        }
        else
        {
            o.WriteLine($"cost: n/a ({plan.PriceMissingReason ?? NoPrice})");
        }
        if (plan.Target is { } target && search is null)
        {
            o.WriteLine($"target {target}: {(target.IsMetBy(result) ? "met" : "NOT met")}");
        }
    }

    private static string CamelName(SimulationMetric metric) => metric.Name;

    private IEnumerable<string> DescribeAssumptions(SimulationResult? result)
    {
        var c = plan.Config;
        yield return $"seed: {c.Seed.ToString(CultureInfo.InvariantCulture)} (same seed, same result)";
        yield return $"arrivals: {DescribeArrivals(c.Arrivals)}";
        yield return $"service: {DescribeService(c.Service)}";
        yield return c.Autoscaler is { } a
            ? string.Create(CultureInfo.InvariantCulture, $"replicas: autoscaling {a.FloorReplicas}..{a.MaxReplicas}, cold start {a.ColdStartSeconds:0.###} s, released after {a.ScaleDownIdleSeconds:0.###} s idle; {c.MaxConcurrencyPerReplica} concurrent per replica")
            : $"replicas: {c.Replicas} × {c.MaxConcurrencyPerReplica} concurrent per replica; one shared FIFO queue, least-loaded replica first";
        if (plan.Replica is { } replica)
        {
            yield return $"replica: {replica.Assumption}"
                + (c.MaxConcurrencyPerReplica < plan.WantedConcurrencyPerReplica ? $"; concurrency per replica capped from {plan.WantedConcurrencyPerReplica.ToString(CultureInfo.InvariantCulture)} to {c.MaxConcurrencyPerReplica.ToString(CultureInfo.InvariantCulture)} by fit" : "");
        }
        yield return c.Length.Requests is { } n
            ? $"run: {n.ToString(CultureInfo.InvariantCulture)} arrivals, then drained"
            : string.Create(CultureInfo.InvariantCulture, $"run: {c.Length.DurationSeconds:0.###} s of arrivals, then drained");
        yield return $"warm-up excluded: {DescribeWarmup(c, result)}";
        yield return $"clients: {DescribeClient(c.Client)}";
        if (c.RateLimit is { } rl)
        {
            yield return $"rate limit: {DescribeRateLimit(rl)}";
        }
        if (c.QueueLimit is { } q)
        {
            yield return $"queue limit: {q.ToString(CultureInfo.InvariantCulture)} waiting (503 beyond it)";
        }
        yield return $"percentiles: {DescribePercentiles(c, result)}";
    }

    private string DescribeArrivals(ArrivalProcess arrivals) => arrivals switch
    {
        ReplayArrivals r => $"replay of {r.TimesSeconds.Count.ToString(CultureInfo.InvariantCulture)} request times from {plan.ReplayFile}",
        RenewalArrivals r => (r.Shape == 1.0 ? "Poisson" : string.Create(CultureInfo.InvariantCulture, $"gamma renewal (shape {r.Shape:0.###})")) +
            string.Create(CultureInfo.InvariantCulture, $" at {r.RatePerSecond:0.###} req/s") +
            (r.Profile?.HourlyMultipliers is not null ? $" × hourly demand shape from {plan.DemandFile}" : "") +
            (r.Profile?.Burst is { } b
                ? string.Create(CultureInfo.InvariantCulture, $"; burst ×{b.Factor:0.###} from {b.StartSeconds:0.###} s for {b.DurationSeconds:0.###} s")
                : ""),
        _ => arrivals.ToString(),
    };

    private string DescribeService(ServiceTimeModel service) => service switch
    {
        ExponentialService e => string.Create(CultureInfo.InvariantCulture, $"exponential, mean {e.MeanServiceMs:0.###} ms (no first-token split)"),
        MeasuredService m => string.Create(CultureInfo.InvariantCulture,
            $"measured, {m.Points.Count} point(s) at concurrency {string.Join("/", m.Points.Select(p => p.Concurrency))} {DescribeServiceSource()}; TTFT + output tokens ÷ per-stream speed, interpolated by concurrency at admission; output-length CV {m.OutputTokensCv:0.###}"),
        _ => service.ToString(),
    };

    private string DescribeServiceSource() => plan.Rows is { } rows
        ? $"from the rows and events of {rows.Label}, workload {rows.Workload} ({rows.Input})"
        : $"from {plan.PointsFile}";

    private static string DescribeWarmup(SimulationConfig c, SimulationResult? result)
    {
        var spec = c.Warmup.Seconds is { } s
            ? string.Create(CultureInfo.InvariantCulture, $"first {s:0.###} s")
            : string.Create(CultureInfo.InvariantCulture, $"first {c.Warmup.Fraction * 100:0.###}% of the {(c.Length.Requests is not null ? "arrivals" : "duration")}");
        return result is null
            ? spec
            : string.Create(CultureInfo.InvariantCulture, $"{spec} ({result.WarmupRequests} requests, until {result.WarmupSeconds:0.###} s); measured window {result.MeasuredSeconds:0.###} s");
    }

    private static string DescribeClient(ClientPolicy client)
    {
        var timeout = client.TimeoutMs is { } t ? string.Create(CultureInfo.InvariantCulture, $"timeout {t:0.###} ms to the full response") : "no timeout";
        var retries = client.MaxRetries > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{client.MaxRetries} retries, exponential backoff from {client.BackoffBaseMs:0.###} ms capped at {client.BackoffMaxMs:0.###} ms, full jitter")
            : "no retries";
        var server = client.TimeoutMs is null ? "" : client.ServerCancelsOnTimeout ? "; the server drops abandoned work" : "; the server still serves abandoned work";
        return $"{timeout}, {retries}{server}";
    }

    private static string DescribeRateLimit(RateLimitPolicy rl)
    {
        var parts = new List<string>();
        if (rl.RequestsPerMinute is { } rpm)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{rpm:0.###} requests/min"));
        }
        if (rl.TokensPerMinute is { } tpm)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{tpm:0.###} tokens/min at {rl.TokensPerRequest:0.###} tokens/request"));
        }
        return string.Join(", ", parts) + "; token buckets holding one minute, 429 with retry-after";
    }

    private static string DescribePercentiles(SimulationConfig c, SimulationResult? result) =>
        result?.PercentileMethod == PercentileMethod.Sketch
            ? string.Create(CultureInfo.InvariantCulture, $"sketch beyond {c.ExactPercentileLimit} samples, relative error ≤ {StreamingPercentiles.SketchRelativeError:P1}")
            : "exact (linear interpolation between order statistics)";

    // ---------- JSON ----------

    private void WriteJson(TextWriter o, SimulationResult? result, ReplicaSearchResult? search)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var nullReasons = new SortedDictionary<string, string>(StringComparer.Ordinal);
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            WriteAssumptions(w, result);
            if (search is not null)
            {
                if (search.MinReplicas is { } min)
                {
                    w.WriteNumber("minReplicas", min);
                }
                else
                {
                    w.WriteNull("minReplicas");
                    nullReasons["minReplicas"] = search.NotFoundReason ?? "no replica count met the target";
                }
                w.WriteStartObject("search");
                w.WriteString("target", search.Target.ToString());
                w.WriteNumber("searchedUpToReplicas", search.SearchedUpToReplicas);
                w.WriteString("method", "doubling from 1 replica, then bisection; same seed for every run");
                w.WriteStartArray("trials");
                foreach (var trial in search.Trials)
                {
                    w.WriteStartObject();
                    w.WriteNumber("replicas", trial.Replicas);
                    WriteNumberOrNull(w, "value", trial.MetricValue);
                    w.WriteBoolean("met", trial.Met);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            if (result is not null)
            {
                w.WriteStartObject("result");
                foreach (var metric in SimulationMetrics.All)
                {
                    var value = metric.Read(result);
                    if (value is { } v && double.IsFinite(v))
                    {
                        w.WriteNumber(metric.Name, Round(metric, v));
                    }
                    else
                    {
                        w.WriteNull(metric.Name);
                        nullReasons[metric.Name] = result.NullReasons.TryGetValue(metric.Name, out var reason) ? reason : "not defined for this run";
                    }
                }
                w.WriteString("percentileMethod", result.PercentileMethod == PercentileMethod.Exact ? "exact" : "sketch");
                w.WriteEndObject();

                if (plan.Price is { } price)
                {
                    var cost = SimulationCost.For(result, price);
                    w.WriteStartObject("cost");
                    w.WriteNumber("costUsd", cost.CostUsd);
                    if (cost.CostPerCompletedRequestUsd is { } per)
                    {
                        w.WriteNumber("costPerCompletedRequestUsd", per);
                    }
                    else
                    {
                        w.WriteNull("costPerCompletedRequestUsd");
                        nullReasons["cost.costPerCompletedRequestUsd"] = "no measured request completed";
                    }
                    w.WriteNumber("usdPerReplicaHour", cost.UsdPerReplicaHour);
                    if (price.GpuCount is { } gpus && price.UsdPerGpuHour is { } perGpu)
                    {
                        w.WriteString("gpuType", price.GpuType);
                        w.WriteNumber("gpuCount", gpus);
                        w.WriteNumber("usdPerGpuHour", perGpu);
                    }
                    w.WriteString("priceSource", cost.Source);
                    if (price.CatalogOffer is { } offer)
                    {
                        w.WriteBoolean("modeled", true);
                        w.WriteStartObject("catalogEntry");
                        w.WriteString("catalog", offer.Provenance.Catalog);
                        w.WriteString("provider", offer.Provider);
                        w.WriteString("gpuType", offer.GpuType);
                        w.WriteString("route", offer.Route);
                        w.WriteString("kind", Core.Pricing.GpuOffer.KindName(offer.Kind));
                        w.WriteNumber("usdPerGpuHour", offer.UsdPerGpuHour);
                        w.WriteString("effectiveDate", offer.Provenance.EffectiveDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                        w.WriteString("source", offer.Provenance.Source);
                        w.WriteEndObject();
                    }
                    w.WriteString("basis", CostBasis);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteNull("cost");
                    nullReasons["cost"] = plan.PriceMissingReason ?? NoPrice;
                }
                if (plan.Target is { } target)
                {
                    w.WriteStartObject("target");
                    w.WriteString("expression", target.ToString());
                    w.WriteString("metric", target.Metric);
                    w.WriteString("comparison", target.Comparison == TargetComparison.AtMost ? "<=" : ">=");
                    w.WriteNumber("threshold", target.Threshold);
                    result.TryGetMetric(target.Metric, out var value);
                    WriteNumberOrNull(w, "value", value);
                    w.WriteBoolean("met", target.IsMetBy(result));
                    w.WriteEndObject();
                }
            }
            else
            {
                w.WriteNull("result");
                nullReasons["result"] = "no replica count met the target";
            }
            w.WriteStartObject("nullReasons");
            foreach (var (key, reason) in nullReasons)
            {
                w.WriteString(key, reason);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        o.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteNumberOrNull(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private void WriteAssumptions(Utf8JsonWriter w, SimulationResult? result)
    {
        var c = plan.Config;
        w.WriteStartObject("assumptions");
        w.WriteNumber("seed", c.Seed);
        w.WriteStartObject("arrivals");
        switch (c.Arrivals)
        {
            case ReplayArrivals r:
                w.WriteString("process", "replay");
                w.WriteString("file", plan.ReplayFile);
                w.WriteNumber("times", r.TimesSeconds.Count);
                break;
            case RenewalArrivals r:
                w.WriteString("process", r.Shape == 1.0 ? "poisson" : "gamma");
                w.WriteNumber("ratePerSecond", r.RatePerSecond);
                w.WriteNumber("burstiness", r.Shape);
                if (r.Profile?.HourlyMultipliers is { } hours)
                {
                    w.WriteString("demandFile", plan.DemandFile);
                    w.WriteStartArray("hourlyMultipliers");
                    foreach (var h in hours)
                    {
                        w.WriteNumberValue(h);
                    }
                    w.WriteEndArray();
                }
                if (r.Profile?.Burst is { } b)
                {
                    w.WriteStartObject("burst");
                    w.WriteNumber("factor", b.Factor);
                    w.WriteNumber("startSeconds", b.StartSeconds);
                    w.WriteNumber("durationSeconds", b.DurationSeconds);
                    w.WriteEndObject();
                }
                break;
        }
        w.WriteEndObject();

        w.WriteStartObject("service");
        switch (c.Service)
        {
            case ExponentialService e:
                w.WriteString("model", "exponential");
                w.WriteNumber("meanServiceMs", e.MeanServiceMs);
                break;
            case MeasuredService m:
                w.WriteString("model", "measured");
                if (plan.Rows is { } rows)
                {
                    w.WriteStartObject("traceRows");
                    w.WriteString("route", rows.Route);
                    w.WriteString("workload", rows.Workload);
                    w.WriteString("model", rows.Model);
                    w.WriteString("measured", rows.Label);
                    w.WriteString("input", rows.Input);
                    w.WriteString("points", "one per measured concurrency: request-weighted mean ttftMs, outputTokensPerSecond and outputTokens of the rows and events");
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteString("pointsFile", plan.PointsFile);
                }
                w.WriteString("interpolation", "linear between measured concurrency levels, held at the ends; speed fixed at admission");
                w.WriteNumber("outputTokensCv", m.OutputTokensCv);
                w.WriteStartArray("points");
                foreach (var p in m.Points)
                {
                    w.WriteStartObject();
                    w.WriteNumber("concurrency", p.Concurrency);
                    w.WriteNumber("ttftMs", p.TtftMs);
                    w.WriteNumber("outputTokensPerSecond", p.OutputTokensPerSecond);
                    w.WriteNumber("outputTokens", p.OutputTokens);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                break;
        }
        w.WriteEndObject();

        w.WriteNumber("replicas", c.Replicas);
        w.WriteNumber("maxConcurrencyPerReplica", c.MaxConcurrencyPerReplica);
        if (plan.Replica is { } shape)
        {
            w.WriteStartObject("replica");
            w.WriteNumber("gpusPerReplica", shape.GpusPerReplica);
            w.WriteString("gpusPerReplicaSource", shape.GpuCountSource);
            w.WriteString("gpusPerReplicaOrigin", shape.Origin.ToString().ToLowerInvariant());
            if (shape.MaxSessionsPerReplica is { } sessions)
            {
                w.WriteNumber("maxSessionsPerReplica", sessions);
            }
            else
            {
                w.WriteNull("maxSessionsPerReplica");
            }
            w.WriteString("maxSessionsSource", shape.MaxSessionsSource);
            w.WriteNumber("requestedConcurrencyPerReplica", plan.WantedConcurrencyPerReplica);
            if (shape.FitInputs is { } fit)
            {
                w.WriteString("fitCommand", fit.Command);
            }
            w.WriteEndObject();
        }
        w.WriteString("queueing", "one shared FIFO queue; least-loaded replica first");
        if (c.Length.Requests is { } n)
        {
            w.WriteNumber("requests", n);
        }
        else
        {
            w.WriteNumber("durationSeconds", c.Length.DurationSeconds!.Value);
        }

        w.WriteStartObject("warmup");
        w.WriteBoolean("excludedFromStatistics", true);
        if (c.Warmup.Seconds is { } ws)
        {
            w.WriteNumber("seconds", ws);
        }
        else
        {
            w.WriteNumber("fraction", c.Warmup.Fraction!.Value);
        }
        if (result is not null)
        {
            w.WriteNumber("requestsExcluded", result.WarmupRequests);
            w.WriteNumber("endsAtSeconds", Math.Round(result.WarmupSeconds, 6));
            w.WriteNumber("measuredWindowSeconds", Math.Round(result.MeasuredSeconds, 6));
        }
        w.WriteEndObject();

        w.WriteStartObject("client");
        WriteNumberOrNull(w, "timeoutMs", c.Client.TimeoutMs);
        w.WriteString("timeoutAppliesTo", "the full response of each attempt");
        w.WriteNumber("retries", c.Client.MaxRetries);
        w.WriteNumber("backoffBaseMs", c.Client.BackoffBaseMs);
        w.WriteNumber("backoffMaxMs", c.Client.BackoffMaxMs);
        w.WriteString("jitter", "full");
        w.WriteBoolean("serverCancelsOnTimeout", c.Client.ServerCancelsOnTimeout);
        w.WriteEndObject();

        if (c.RateLimit is { } rl)
        {
            w.WriteStartObject("rateLimit");
            WriteNumberOrNull(w, "requestsPerMinute", rl.RequestsPerMinute);
            WriteNumberOrNull(w, "tokensPerMinute", rl.TokensPerMinute);
            w.WriteNumber("tokensPerRequest", rl.TokensPerRequest);
            w.WriteString("model", "token buckets holding one minute, refilled continuously; 429 with retry-after");
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("rateLimit");
        }
        if (c.Autoscaler is { } a)
        {
            w.WriteStartObject("autoscaler");
            w.WriteNumber("floorReplicas", a.FloorReplicas);
            w.WriteNumber("maxReplicas", a.MaxReplicas);
            w.WriteNumber("coldStartSeconds", a.ColdStartSeconds);
            w.WriteNumber("scaleDownIdleSeconds", a.ScaleDownIdleSeconds);
            w.WriteString("rule", "add a replica while more requests wait than starting replicas will absorb");
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("autoscaler");
        }
        if (c.QueueLimit is { } q)
        {
            w.WriteNumber("queueLimit", q);
        }
        else
        {
            w.WriteNull("queueLimit");
        }
        w.WriteStartObject("percentiles");
        w.WriteString("method", result?.PercentileMethod == PercentileMethod.Sketch ? "sketch" : "exact");
        w.WriteString("exact", "linear interpolation between order statistics (numpy default)");
        w.WriteNumber("exactSampleLimit", c.ExactPercentileLimit);
        w.WriteNumber("sketchRelativeError", StreamingPercentiles.SketchRelativeError);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
