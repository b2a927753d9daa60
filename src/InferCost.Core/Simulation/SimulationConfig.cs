namespace InferCost.Core.Simulation;

/// <summary>How long to run: a number of arrivals or a span of simulated time.</summary>
public sealed record RunLength
{
    private RunLength(long? requests, double? durationSeconds)
    {
        Requests = requests;
        DurationSeconds = durationSeconds;
    }

    public long? Requests { get; }

    public double? DurationSeconds { get; }

    public static RunLength OfRequests(long requests) => new(requests, null);

    public static RunLength OfDuration(double durationSeconds) => new(null, durationSeconds);
}

/// <summary>The warm-up excluded from statistics: requests that arrive before it ends are simulated (they load
/// the system) but not counted. Either a fraction of the run (of the arrivals, or of the duration) or a span of
/// simulated time.</summary>
public sealed record Warmup
{
    private Warmup(double? fraction, double? seconds)
    {
        Fraction = fraction;
        Seconds = seconds;
    }

    public double? Fraction { get; }

    public double? Seconds { get; }

    public static Warmup OfFraction(double fraction) => new(fraction, null);

    public static Warmup OfSeconds(double seconds) => new(null, seconds);

    public static Warmup None { get; } = OfFraction(0);
}

/// <summary>Everything one simulation run needs. Immutable; deterministic for a given <see cref="Seed"/>.</summary>
public sealed record SimulationConfig
{
    public const int DefaultExactPercentileLimit = 1 << 20;

    public required ArrivalProcess Arrivals { get; init; }

    public required ServiceTimeModel Service { get; init; }

    /// <summary>Replicas serving from the start (the floor when <see cref="Autoscaler"/> is set).</summary>
    public required int Replicas { get; init; }

    /// <summary>Requests one replica serves at once (continuous batching slots).</summary>
    public int MaxConcurrencyPerReplica { get; init; } = 1;

    public required RunLength Length { get; init; }

    public Warmup Warmup { get; init; } = Warmup.OfFraction(0.1);

    public ClientPolicy Client { get; init; } = ClientPolicy.Patient;

    public RateLimitPolicy? RateLimit { get; init; }

    public AutoscalerPolicy? Autoscaler { get; init; }

    /// <summary>Most requests allowed to wait; beyond it an arrival is refused (503) and the client may retry.
    /// Null = unbounded.</summary>
    public long? QueueLimit { get; init; }

    public ulong Seed { get; init; } = 1;

    /// <summary>Samples per statistic kept for exact percentiles before switching to the sketch.</summary>
    public int ExactPercentileLimit { get; init; } = DefaultExactPercentileLimit;

    /// <summary>The same scenario with <paramref name="replicas"/> replicas (the floor, when autoscaling; the
    /// maximum is raised to match when needed).</summary>
    public SimulationConfig WithReplicas(int replicas) => this with
    {
        Replicas = replicas,
        Autoscaler = Autoscaler is null
            ? null
            : Autoscaler with { FloorReplicas = replicas, MaxReplicas = Math.Max(Autoscaler.MaxReplicas, replicas) },
    };
}
