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
        var built = TraceRowServices.Build(capacityGroups, outputTokensCv: null, out var problem, out var models);
        if (built is null)
        {
            reason = problem == TraceRowServiceProblem.SeveralModels
                ? $"the planned capacity route has {models.Count} models measured ({string.Join(", ", models)}); name one as capacity.traceModel"
                : "no measured rows on the planned capacity route for this workload (the serving-stack benchmark)";
            return null;
        }
        return new CapacityService(built.Service, batch ?? built.Service.MaxMeasuredConcurrency, built.Label, built.AcceptedOutputRate);
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
