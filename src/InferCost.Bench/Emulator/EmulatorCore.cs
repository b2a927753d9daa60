using InferCost.Core.Simulation;

namespace InferCost.Bench.Emulator;

/// <summary>What the emulator decided for one request before serving it.</summary>
internal readonly record struct RequestPlan(
    int CachedTokens,
    double TtftFactor,
    double TokenTimeFactor,
    FaultKind? Fault);

/// <summary>The emulator's decisions, apart from HTTP: rate limits, prefix cache, jitter and faults.
/// Times are seconds from any fixed origin, passed in, so tests drive it without a clock.
/// Thread-safe: one lock around the shared state (it is held for microseconds).</summary>
internal sealed class EmulatorCore
{
    private readonly object _gate = new();
    private readonly SeededRandom _random;
    private readonly TokenBucket? _requests;
    private readonly TokenBucket? _tokens;
    private readonly PrefixCache? _cache;
    private readonly double _jitterShape;

    public EmulatorCore(EmulatorProfile profile)
    {
        Profile = profile;
        _random = new SeededRandom(profile.Seed, stream: 7);
        _requests = profile.RequestsPerMinute is { } rpm ? new TokenBucket(rpm) : null;
        _tokens = profile.TokensPerMinute is { } tpm ? new TokenBucket(tpm) : null;
        _cache = profile.PrefixCache ? new PrefixCache() : null;
        _jitterShape = profile.Jitter > 0 ? 1.0 / (profile.Jitter * profile.Jitter) : 0;
    }

    public EmulatorProfile Profile { get; }

    /// <summary>Checks the rate limits for a request of <paramref name="tokens"/> tokens (input + requested
    /// output) and takes its share when admitted. Returns 0 when admitted, else the seconds to wait.</summary>
    public double Admit(double nowSeconds, long tokens)
    {
        if (_requests is null && _tokens is null)
        {
            return 0;
        }
        lock (_gate)
        {
            var wait = Math.Max(
                _requests?.WaitSeconds(nowSeconds, 1) ?? 0,
                _tokens?.WaitSeconds(nowSeconds, tokens) ?? 0);
            if (wait > 0)
            {
                return wait;
            }
            _requests?.Take(nowSeconds, 1);
            _tokens?.Take(nowSeconds, tokens);
            return 0;
        }
    }

    /// <summary>Draws the request's cache hits, jitter and fault. <paramref name="tokenHashes"/> are the prompt's.</summary>
    public RequestPlan Plan(ReadOnlySpan<ulong> tokenHashes)
    {
        if (_cache is null && _jitterShape == 0 && Profile.FaultRate <= 0)
        {
            return new RequestPlan(0, 1, 1, null);
        }
        lock (_gate)
        {
            var cached = _cache?.LookupAndInsert(tokenHashes) ?? 0;
            var ttftFactor = _jitterShape > 0 ? _random.NextGamma(_jitterShape) / _jitterShape : 1;
            var tokenFactor = _jitterShape > 0 ? _random.NextGamma(_jitterShape) / _jitterShape : 1;
            FaultKind? fault = null;
            if (Profile.FaultRate > 0 && Profile.Faults.Count > 0 && _random.NextDouble() < Profile.FaultRate)
            {
                fault = Profile.Faults[(int)(_random.NextDouble() * Profile.Faults.Count) % Profile.Faults.Count];
            }
            if (cached > 0 && tokenHashes.Length > 0)
            {
                ttftFactor *= 1 - Profile.CachedTtftSaving * cached / tokenHashes.Length;
            }
            return new RequestPlan(cached, ttftFactor, tokenFactor, fault);
        }
    }
}
