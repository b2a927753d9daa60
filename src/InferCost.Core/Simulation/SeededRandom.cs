namespace InferCost.Core.Simulation;

/// <summary>The simulator's seeded generator (xoshiro256**) for code outside Core, such as the bench client's
/// arrival schedule and the route emulator's jitter and faults: the same seed gives the same draws on every
/// runtime. Not thread-safe: callers that share one instance lock around it.</summary>
public sealed class SeededRandom
{
    private Xoshiro256StarStar _state;

    public SeededRandom(ulong seed, ulong stream = 0) => _state = Xoshiro256StarStar.ForStream(seed, stream);

    /// <summary>Uniform on [0, 1).</summary>
    public double NextDouble() => _state.NextDouble();

    /// <summary>Exponential with mean 1.</summary>
    public double NextExponential() => _state.NextExponential();

    /// <summary>Gamma with the given shape and scale 1.</summary>
    public double NextGamma(double shape) => _state.NextGamma(shape);
}
