namespace InferCost.Core.Simulation;

/// <summary>One run of a replica search.</summary>
public sealed record ReplicaTrial(int Replicas, double? MetricValue, bool Met);

/// <summary>The outcome of <see cref="CapacityPlanner.FindMinReplicas"/>: the fewest replicas that meet the target
/// (null when none up to <see cref="SearchedUpToReplicas"/> does, with <see cref="NotFoundReason"/>), the run at
/// that size, and every run tried.</summary>
public sealed record ReplicaSearchResult(
    SimulationTarget Target,
    int? MinReplicas,
    SimulationResult? AtMinReplicas,
    int SearchedUpToReplicas,
    IReadOnlyList<ReplicaTrial> Trials,
    string? NotFoundReason = null);

/// <summary>A retry storm: the arrival rate jumps by <see cref="BurstFactor"/> for <see cref="BurstSeconds"/>
/// after <see cref="LeadInSeconds"/> of normal load, then returns to normal for <see cref="RecoverySeconds"/>.
/// Statistics cover the burst and the recovery; the lead-in is the warm-up.</summary>
public sealed record RetryStormSpec
{
    public double BurstFactor { get; init; } = 2.0;
    public double BurstSeconds { get; init; } = 600;
    public double LeadInSeconds { get; init; } = 600;
    public double RecoverySeconds { get; init; } = 1200;

    /// <summary>The clients during the storm; null = the scenario's own clients (which should time out and retry).</summary>
    public ClientPolicy? Client { get; init; }
}

/// <summary>Questions a buyer asks of the simulator. Pure functions of their inputs; thread-safe.</summary>
public static class CapacityPlanner
{
    /// <summary>The fewest replicas (the floor, when autoscaling) that meet <paramref name="target"/>, searching
    /// 1, 2, 4, … then bisecting. Every run uses the scenario's seed, so runs see the same arrivals and service draws
    /// (common random numbers), and the search assumes the metric improves with replicas, as latency and wait do.</summary>
    public static ReplicaSearchResult FindMinReplicas(SimulationConfig config, SimulationTarget target, int maxReplicas = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxReplicas, 1);
        var trials = new List<ReplicaTrial>();
        var results = new Dictionary<int, SimulationResult>();
        bool Try(int replicas)
        {
            var result = Simulator.Run(config.WithReplicas(replicas));
            results[replicas] = result;
            result.TryGetMetric(target.Metric, out var value);
            var met = target.IsMetBy(result);
            trials.Add(new ReplicaTrial(replicas, value, met));
            return met;
        }

        var failed = 0;
        var passed = -1;
        var probe = 1;
        while (true)
        {
            if (Try(probe))
            {
                passed = probe;
                break;
            }
            failed = probe;
            if (probe >= maxReplicas)
            {
                return new ReplicaSearchResult(target, null, null, maxReplicas, trials,
                    $"no replica count up to {maxReplicas} meets {target}");
            }
            // Same draws, same value at twice the replicas: capacity no longer moves the metric (the service time
            // itself misses the target), so more replicas cannot help.
            if (trials.Count >= 2 && trials[^1].MetricValue is { } now && trials[^2].MetricValue is { } before && now == before)
            {
                return new ReplicaSearchResult(target, null, null, probe, trials,
                    string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"{target.Metric} stays at {now:0.###} from {trials[^2].Replicas} to {probe} replicas, so no replica count meets {target}; the service itself is too slow for the target"));
            }
            probe = Math.Min(maxReplicas, probe * 2);
        }
        while (passed - failed > 1)
        {
            var mid = failed + (passed - failed) / 2;
            if (Try(mid))
            {
                passed = mid;
            }
            else
            {
                failed = mid;
            }
        }
        return new ReplicaSearchResult(target, passed, results[passed], maxReplicas, trials);
    }

    /// <summary>Runs <paramref name="config"/> through a retry storm (see <see cref="RetryStormSpec"/>). The arrivals
    /// must be a renewal process (a rate to multiply); the run length and warm-up come from the spec.</summary>
    public static SimulationResult RetryStorm(SimulationConfig config, RetryStormSpec spec)
    {
        if (config.Arrivals is not RenewalArrivals renewal)
        {
            throw new ArgumentException("A retry storm needs rate-based arrivals, not a replay.", nameof(config));
        }
        var profile = (renewal.Profile ?? new RateProfile()) with
        {
            Burst = new RateBurst(spec.BurstFactor, spec.LeadInSeconds, spec.BurstSeconds),
        };
        var storm = config with
        {
            Arrivals = renewal with { Profile = profile },
            Length = RunLength.OfDuration(spec.LeadInSeconds + spec.BurstSeconds + spec.RecoverySeconds),
            Warmup = Warmup.OfSeconds(spec.LeadInSeconds),
            Client = spec.Client ?? config.Client,
        };
        return Simulator.Run(storm);
    }
}
