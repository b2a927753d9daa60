namespace InferCost.Core.Simulation;

/// <summary>How long a replica takes to serve one request. A request draws its random part
/// (<see cref="DrawUnit"/>) when it is sent, and its service time is fixed when it starts service from that draw
/// and the replica's concurrency at that moment (itself included). Drawing at send time ties the randomness to the
/// request, so runs that differ only in replica count see the same requests (common random numbers).
/// Immutable and thread-safe.</summary>
public abstract record ServiceTimeModel
{
    /// <summary>True when the model separates time to first token from the rest of the response.</summary>
    public abstract bool HasFirstToken { get; }

    /// <summary>Mean service time in milliseconds at the given concurrency per replica.</summary>
    public abstract double MeanServiceMsAt(int concurrency);

    internal abstract double DrawUnit(ref Xoshiro256StarStar rng);

    /// <summary>Service time and time to first token (both seconds from the start of service) for a request
    /// whose draw was <paramref name="unit"/>, starting on a replica now serving <paramref name="concurrency"/>.</summary>
    internal abstract ServiceSample Sample(double unit, int concurrency);
}

internal readonly record struct ServiceSample(double ServiceSeconds, double FirstTokenSeconds);

/// <summary>Exponentially distributed service time with mean <see cref="MeanServiceMs"/>, independent of
/// concurrency: the textbook M/M/c server. Has no first-token split.</summary>
public sealed record ExponentialService(double MeanServiceMs) : ServiceTimeModel
{
    private readonly double _meanSeconds = MeanServiceMs / 1000.0;

    public override bool HasFirstToken => false;

    public override double MeanServiceMsAt(int concurrency) => MeanServiceMs;

    internal override double DrawUnit(ref Xoshiro256StarStar rng) => rng.NextExponential();

    internal override ServiceSample Sample(double unit, int concurrency) => new(unit * _meanSeconds, 0.0);
}
