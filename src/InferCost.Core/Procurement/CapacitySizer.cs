using InferCost.Core.Metrics;
using InferCost.Core.Simulation;

namespace InferCost.Core.Procurement;

/// <summary>The measured service of the planned capacity route for one workload: the points the simulator serves
/// with, and the per-replica concurrency.</summary>
public sealed record CapacityService(MeasuredService Service, int MaxConcurrencyPerReplica, string Label, double AcceptedOutputRate);

/// <summary>Sizes the capacity route with the simulator: the fewest replicas that hold the p95 target at the peak
/// hour, the utilization those replicas reach over the workload's day, and p95 under a retry storm. Pure and
/// deterministic for a seed.</summary>
public static class CapacitySizer
{
    /// <summary>Arrivals simulated at the peak rate for the replica search (10 % warm-up).</summary>
    public const long PeakRunRequests = 20_000;
    public const int MaxReplicasSearched = 512;
    /// <summary>Without a retry policy in the profile, clients time out at this multiple of the p95 target…</summary>
    public const double DefaultTimeoutTimesTarget = 2.0;
    /// <summary>…and retry this many times.</summary>
    public const int DefaultMaxRetries = 2;

    /// <summary>The capacity route's measured points for a workload, or null with the reason.</summary>
    public static CapacityService? Service(IReadOnlyList<GroupMetrics> capacityGroups, int? batch, out string? reason)
    {
        reason = null;
        var usable = capacityGroups.Where(g => g.Concurrency is > 0 && g.OutputTokensPerSecond > 0).ToList();
        if (usable.Count == 0)
        {
            reason = "no measured rows on the planned capacity route for this workload (the serving-stack benchmark)";
            return null;
        }
        var models = usable.Select(g => g.Model).Distinct().ToList();
        if (models.Count > 1)
        {
            reason = $"the planned capacity route has {models.Count} models measured ({string.Join(", ", models)}); name one as capacity.traceModel";
            return null;
        }
        var points = usable.GroupBy(g => g.Concurrency!.Value)
            .Select(c => c.OrderByDescending(g => g.LatencyP95Ms).First())
            .Select(g => new MeasuredPoint((int)g.Concurrency!.Value, g.TtftMs, g.OutputTokensPerSecond, g.OutputTokens))
            .ToList();
        var top = usable.OrderByDescending(g => g.Concurrency).ThenByDescending(g => g.LatencyP95Ms).First();
        var service = new MeasuredService(points, CalibratedOutputTokensCv(top.TtftMs, top.OutputTokens / top.OutputTokensPerSecond * 1000.0, top.LatencyP95Ms));
        var acceptance = usable.Sum(g => g.AcceptedOutputRate * (g.Requests ?? 1)) / usable.Sum(g => (double)(g.Requests ?? 1));
        var first = usable[0];
        return new CapacityService(service, batch ?? service.MaxMeasuredConcurrency, $"{first.Route} · {first.Provider} · {first.Model}", acceptance);
    }

    /// <summary>The output-length variation that makes the simulated service p95 at the highest measured concurrency
    /// match the measured p95 there: a benchmark at fixed concurrency has no queue, so its p95 is the service p95.
    /// The gamma quantile uses the Wilson–Hilferty approximation, p95 ≈ mean·(1 − cv²/9 + 1.645·cv/3)³; the result is
    /// clamped to [0, 1] (1 = exponential lengths, the simulator's default).</summary>
    public static double CalibratedOutputTokensCv(double ttftMs, double meanDecodeMs, double p95Ms)
    {
        if (meanDecodeMs <= 0)
        {
            return 1.0;
        }
        var ratio = (p95Ms - ttftMs) / meanDecodeMs;
        static double P95OverMean(double cv) => Math.Pow(1 - cv * cv / 9 + 1.6448536269514722 * cv / 3, 3);
        if (ratio <= 1)
        {
            return 0.0;
        }
        if (ratio >= P95OverMean(1))
        {
            return 1.0;
        }
        double lo = 0, hi = 1;
        for (var i = 0; i < 60; i++)
        {
            var mid = (lo + hi) / 2;
            if (P95OverMean(mid) < ratio) lo = mid; else hi = mid;
        }
        return (lo + hi) / 2;
    }

    public static CapacitySizing Size(string workload, CapacityService capacity, HourlyDemand demand, double targetP95Ms, RetryPolicy? retry, ulong seed)
    {
        var peakRate = demand.PeakRequestsPerHour / 3600.0;
        var source = FormattableString.Invariant($"simulated (seed {seed}) with service measured on {capacity.Label} at concurrency {string.Join(", ", capacity.Service.Points.Select(p => p.Concurrency))}, {capacity.MaxConcurrencyPerReplica} streams per replica, output-length CV {capacity.Service.OutputTokensCv:0.##} calibrated to the measured p95");
        var sizing = new CapacitySizing
        {
            Workload = workload,
            Source = source,
            PeakRequestsPerSecond = peakRate,
            TargetP95Ms = targetP95Ms,
            MaxConcurrencyPerReplica = capacity.MaxConcurrencyPerReplica,
            Seed = seed,
        };
        if (peakRate <= 0)
        {
            return sizing with { NotFoundReason = "the demand has no requests in any hour" };
        }
        var peak = new SimulationConfig
        {
            Arrivals = new RenewalArrivals(peakRate),
            Service = capacity.Service,
            Replicas = 1,
            MaxConcurrencyPerReplica = capacity.MaxConcurrencyPerReplica,
            Length = RunLength.OfRequests(PeakRunRequests),
            Warmup = Warmup.OfFraction(0.1),
            Seed = seed,
        };
        var target = new SimulationTarget("latencyP95Ms", TargetComparison.AtMost, targetP95Ms);
        var search = CapacityPlanner.FindMinReplicas(peak, target, MaxReplicasSearched);
        if (search.MinReplicas is not { } replicas)
        {
            return sizing with { NotFoundReason = search.NotFoundReason };
        }

        var mean = demand.MeanRequestsPerHour;
        var day = Simulator.Run(peak with
        {
            Arrivals = new RenewalArrivals(mean / 3600.0, 1.0, new RateProfile { HourlyMultipliers = demand.RequestsPerHour.Select(c => c / mean).ToArray() }),
            Replicas = replicas,
            Length = RunLength.OfDuration(24 * 3600),
            Warmup = Warmup.None,
        });

        var timeoutMs = retry?.TimeoutMs ?? DefaultTimeoutTimesTarget * targetP95Ms;
        var maxRetries = retry?.MaxRetries ?? DefaultMaxRetries;
        var clientSource = retry?.TimeoutMs is not null || retry?.MaxRetries is not null
            ? "fallback.retryPolicy in the profile" + (retry.TimeoutMs is null || retry.MaxRetries is null ? $" (the rest assumed: timeout {DefaultTimeoutTimesTarget}× the p95 target, {DefaultMaxRetries} retries)" : "")
            : $"assumed: timeout {DefaultTimeoutTimesTarget}× the p95 target, {DefaultMaxRetries} retries (no fallback.retryPolicy in the profile)";
        var spec = new RetryStormSpec { Client = new ClientPolicy { TimeoutMs = timeoutMs, MaxRetries = maxRetries } };
        var storm = CapacityPlanner.RetryStorm(peak with { Replicas = replicas }, spec);
        storm.NullReasons.TryGetValue("latencyP95Ms", out var stormReason);

        return sizing with
        {
            MinReplicas = replicas,
            P95AtMinReplicasMs = search.AtMinReplicas?.LatencyP95Ms,
            ProjectedUtilization = day.Utilization,
            DayP95Ms = day.LatencyP95Ms,
            PeakQueueDepth = day.PeakQueueDepth,
            RetryStorm = new RetryStormOutcome(spec.BurstFactor, spec.BurstSeconds, timeoutMs, maxRetries, clientSource,
                storm.LatencyP95Ms, stormReason, storm.SuccessRate, storm.RetriesPerRequest, storm.TimedOut),
        };
    }
}
