using System.Globalization;
using InferCost.Bench.Evaluation;

namespace InferCost.Bench.Client;

/// <summary>How a level drives load: a fixed number of requests in flight (closed loop) or arrivals at a rate
/// regardless of responses (open loop).</summary>
public enum LevelMode
{
    Concurrency,
    Rate,
}

/// <summary>One load level: concurrency 4, or 10 requests per second.</summary>
public sealed record BenchLevel(LevelMode Mode, double Value)
{
    /// <summary>A short tag for ids: <c>c4</c>, <c>r10</c>.</summary>
    public string Tag => (Mode == LevelMode.Concurrency ? "c" : "r") + Value.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>Everything a bench run needs except the API key, which only the <see cref="EndpointClient"/> holds.
/// Immutable.</summary>
public sealed record BenchSettings
{
    public required string Model { get; init; }
    public required IPromptSource Prompts { get; init; }
    public required IReadOnlyList<BenchLevel> Levels { get; init; }
    /// <summary>Gamma shape of inter-arrival gaps in rate mode: 1 = Poisson, below 1 burstier.</summary>
    public double Burstiness { get; init; } = 1;
    /// <summary>Recorded requests per level (warm-up excluded); null when <see cref="DurationSecondsPerLevel"/> is set.</summary>
    public long? RequestsPerLevel { get; init; }
    public double? DurationSecondsPerLevel { get; init; }
    /// <summary>Requests per level sent first and not recorded.</summary>
    public int Warmup { get; init; }
    /// <summary>Overrides the prompts' own max_tokens.</summary>
    public int? MaxTokens { get; init; }
    public double? TimeoutMs { get; init; }
    public RetryPolicy Retry { get; init; } = new(2);
    public bool Stream { get; init; } = true;
    public required string Route { get; init; }
    public required string Provider { get; init; }
    public required string Workload { get; init; }
    public IOutputEvaluator? Evaluator { get; init; }
    /// <summary>Per-request latency target for goodput, ms; null = every successful accepted request counts.</summary>
    public double? LatencyTargetMs { get; init; }
    public ulong Seed { get; init; } = 1;
    public required string RunId { get; init; }
}
