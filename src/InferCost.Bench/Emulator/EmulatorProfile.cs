using InferCost.Core.Simulation;

namespace InferCost.Bench.Emulator;

/// <summary>A fault the emulator can inject into a request.</summary>
public enum FaultKind
{
    /// <summary>An HTTP 500 before any output.</summary>
    ServerError,
    /// <summary>The response pauses half-way for <see cref="EmulatorProfile.StallMs"/>, then goes on.</summary>
    Stall,
    /// <summary>The connection is dropped half-way through the response.</summary>
    Cut,
}

/// <summary>How an emulated route behaves. Times in milliseconds. Immutable; safe to share across threads.
/// With <see cref="Measured"/> set, time to first token and per-token time come from measured contract rows at
/// the number of requests in service; otherwise from <see cref="TtftMs"/> and <see cref="MsPerToken"/>.</summary>
public sealed record EmulatorProfile
{
    public double TtftMs { get; init; }
    public double MsPerToken { get; init; }
    /// <summary>Coefficient of variation of a per-request gamma factor on TTFT and on per-token time; 0 = fixed delays.</summary>
    public double Jitter { get; init; }
    /// <summary>Requests served at once; more wait in a queue. 0 = no limit.</summary>
    public int MaxConcurrency { get; init; }
    /// <summary>How much slower each token is when the server is full (continuous batching): per-token time is
    /// MsPerToken × (1 + BatchSlowdown × (n − 1) / (MaxConcurrency − 1)) with n requests in service.</summary>
    public double BatchSlowdown { get; init; } = 0.5;
    /// <summary>Output tokens when the request gives no max_tokens.</summary>
    public int OutputTokens { get; init; } = 64;
    public long? RequestsPerMinute { get; init; }
    public long? TokensPerMinute { get; init; }
    public bool PrefixCache { get; init; }
    /// <summary>Share of TTFT saved per cached input token share: TTFT × (1 − saving × cached/input).</summary>
    public double CachedTtftSaving { get; init; } = 0.8;
    /// <summary>Share of requests that get a fault, 0..1.</summary>
    public double FaultRate { get; init; }
    public IReadOnlyList<FaultKind> Faults { get; init; } = [FaultKind.ServerError, FaultKind.Stall, FaultKind.Cut];
    public double StallMs { get; init; } = 10_000;
    public ulong Seed { get; init; } = 1;
    /// <summary>A fixed reply (split into word tokens); null = generated filler words.</summary>
    public string? Reply { get; init; }
    public MeasuredService? Measured { get; init; }
    /// <summary>When set, requests must carry <c>Authorization: Bearer</c> this key, else 401 (as a provider would).</summary>
    public string? ApiKey { get; init; }
    /// <summary>Where the profile came from, for the start-up line.</summary>
    public string Source { get; init; } = "flags";

    /// <summary>TTFT before jitter and cache savings with <paramref name="inService"/> requests in service.</summary>
    public double TtftMsAt(int inService) => Measured is { } m ? m.At(Math.Max(1, inService)).TtftMs : TtftMs;

    /// <summary>Time per output token with <paramref name="inService"/> requests in service, before jitter.</summary>
    public double MsPerTokenAt(int inService)
    {
        if (Measured is { } m)
        {
            var speed = m.At(Math.Max(1, inService)).OutputTokensPerSecond;
            return speed > 0 ? 1000.0 / speed : 0;
        }
        if (MaxConcurrency <= 1 || inService <= 1)
        {
            return MsPerToken;
        }
        var fill = Math.Min(1.0, (inService - 1) / (double)(MaxConcurrency - 1));
        return MsPerToken * (1 + BatchSlowdown * fill);
    }
}
