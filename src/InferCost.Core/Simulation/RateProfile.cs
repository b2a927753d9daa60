namespace InferCost.Core.Simulation;

/// <summary>A temporary surge: the arrival rate is multiplied by <see cref="Factor"/> from
/// <see cref="StartSeconds"/> for <see cref="DurationSeconds"/> of simulated time.</summary>
public sealed record RateBurst(double Factor, double StartSeconds, double DurationSeconds)
{
    public double EndSeconds => StartSeconds + DurationSeconds;
}

/// <summary>How the arrival rate varies over simulated time: an optional 24-value hourly demand shape (multipliers
/// of the base rate for hours 0..23 of each simulated day, repeating) times an optional burst. Piecewise constant,
/// so arrivals are generated exactly by time change: a unit-rate process in "operational time" is mapped through the
/// inverse of the cumulative multiplier. Immutable and thread-safe.</summary>
public sealed record RateProfile
{
    public const double SecondsPerHour = 3600.0;

    /// <summary>24 non-negative multipliers of the base rate, one per hour of the simulated day; null = flat 1.</summary>
    public IReadOnlyList<double>? HourlyMultipliers { get; init; }

    public RateBurst? Burst { get; init; }

    public bool IsFlat => HourlyMultipliers is null && Burst is null;

    /// <summary>The rate multiplier in force at <paramref name="timeSeconds"/>.</summary>
    public double MultiplierAt(double timeSeconds)
    {
        var m = 1.0;
        if (HourlyMultipliers is { } hours)
        {
            var hour = (long)Math.Floor(timeSeconds / SecondsPerHour) % 24;
            m = hours[(int)hour];
        }
        if (Burst is { } b && timeSeconds >= b.StartSeconds && timeSeconds < b.EndSeconds)
        {
            m *= b.Factor;
        }
        return m;
    }

    /// <summary>The highest multiplier anywhere in the profile (the peak the capacity must meet).</summary>
    public double PeakMultiplier
    {
        get
        {
            var peak = HourlyMultipliers is { } hours ? hours.Max() : 1.0;
            return Burst is { } b ? peak * Math.Max(1.0, b.Factor) : peak;
        }
    }

    /// <summary>The end of the constant piece that contains <paramref name="timeSeconds"/>.</summary>
    private double NextBoundary(double timeSeconds)
    {
        var next = double.PositiveInfinity;
        if (HourlyMultipliers is not null)
        {
            next = (Math.Floor(timeSeconds / SecondsPerHour) + 1.0) * SecondsPerHour;
        }
        if (Burst is { } b)
        {
            if (timeSeconds < b.StartSeconds)
            {
                next = Math.Min(next, b.StartSeconds);
            }
            else if (timeSeconds < b.EndSeconds)
            {
                next = Math.Min(next, b.EndSeconds);
            }
        }
        return next;
    }

    /// <summary>The time t' ≥ t at which the integral of the multiplier from t reaches
    /// <paramref name="operationalSeconds"/>; an arrival process at the base rate is mapped through it.</summary>
    public double Advance(double timeSeconds, double operationalSeconds)
    {
        var t = timeSeconds;
        var remaining = operationalSeconds;
        // Bounded: validation guarantees a positive multiplier somewhere in every simulated day.
        while (true)
        {
            var m = MultiplierAt(t);
            var boundary = NextBoundary(t);
            if (m > 0)
            {
                var capacity = m * (boundary - t);
                if (capacity >= remaining)
                {
                    return t + remaining / m;
                }
                remaining -= capacity;
            }
            t = boundary;
        }
    }
}
