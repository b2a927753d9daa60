namespace InferCost.Core.Simulation;

/// <summary>Where requests come from. Immutable descriptions; each simulation run opens its own
/// <see cref="ArrivalStream"/>, so one description can be reused across runs and threads.</summary>
public abstract record ArrivalProcess
{
    internal abstract ArrivalStream Open();
}

/// <summary>The per-run cursor of an arrival process. Not thread-safe.</summary>
internal abstract class ArrivalStream
{
    /// <summary>The next arrival time in seconds (non-decreasing), or +∞ when the process has no more arrivals.</summary>
    public abstract double Next(ref Xoshiro256StarStar rng);
}

/// <summary>A renewal process at <see cref="RatePerSecond"/>: gaps are gamma distributed with shape
/// <see cref="Shape"/> and mean 1/rate (shape 1 = Poisson; below 1 burstier, squared coefficient of variation
/// 1/shape), optionally modulated by a <see cref="RateProfile"/> (hourly demand, bursts).</summary>
public sealed record RenewalArrivals(double RatePerSecond, double Shape = 1.0, RateProfile? Profile = null) : ArrivalProcess
{
    internal override ArrivalStream Open() => new Stream(this);

    private sealed class Stream(RenewalArrivals spec) : ArrivalStream
    {
        private readonly double _meanGapSeconds = 1.0 / spec.RatePerSecond;
        private readonly bool _poisson = spec.Shape == 1.0;
        private readonly double _shape = spec.Shape;
        private readonly RateProfile? _profile = spec.Profile is { IsFlat: false } p ? p : null;
        private double _now;

        public override double Next(ref Xoshiro256StarStar rng)
        {
            var gap = _poisson
                ? rng.NextExponential() * _meanGapSeconds
                : rng.NextGamma(_shape) / _shape * _meanGapSeconds;
            _now = _profile is null ? _now + gap : _profile.Advance(_now, gap);
            return _now;
        }
    }
}

/// <summary>Replays recorded request times (seconds from the start of the recording, sorted ascending).</summary>
public sealed record ReplayArrivals(IReadOnlyList<double> TimesSeconds) : ArrivalProcess
{
    internal override ArrivalStream Open() => new Stream(TimesSeconds);

    private sealed class Stream(IReadOnlyList<double> times) : ArrivalStream
    {
        private int _next;

        public override double Next(ref Xoshiro256StarStar rng) =>
            _next < times.Count ? times[_next++] : double.PositiveInfinity;
    }
}
