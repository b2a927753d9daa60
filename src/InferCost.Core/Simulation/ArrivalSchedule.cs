namespace InferCost.Core.Simulation;

/// <summary>The arrival times of an <see cref="ArrivalProcess"/>, one after another, for a client that sends
/// real requests on that schedule (open-loop load). Seeded: the same process and seed give the same times.
/// Not thread-safe.</summary>
public sealed class ArrivalSchedule
{
    private readonly ArrivalStream _stream;
    private Xoshiro256StarStar _rng;

    public ArrivalSchedule(ArrivalProcess process, ulong seed)
    {
        _stream = process.Open();
        // Stream 0 is the simulator's arrivals stream too, so a bench run and a simulation of it share arrivals.
        _rng = Xoshiro256StarStar.ForStream(seed, 0);
    }

    /// <summary>The next arrival, in seconds from the start (non-decreasing), or +∞ when there are no more.</summary>
    public double NextSeconds() => _stream.Next(ref _rng);
}
