using InferCost.Core.Contract;

namespace InferCost.Core.Events;

/// <summary>
/// One group of request events rolled up exactly into a contract row with its extensions. Percentiles are exact
/// (linear interpolation over the group's successful attempts, never averaged); token counts, cost and review
/// minutes are per successful output, as in the contract. A dimension the rollup did not group by holds the group's
/// single value, or null when the group mixes several. Nullable values are null with a reason, never NaN.
/// </summary>
public sealed record RollupRow
{
    public required string? Route { get; init; }
    public required string? Provider { get; init; }
    public required string? Model { get; init; }
    public required string? Workload { get; init; }
    /// <summary>Logged concurrency, or the power-of-two bucket of the reconstructed in-flight count.</summary>
    public required long? Concurrency { get; init; }
    /// <summary>"logged", "reconstructed" or "mixed" (some events logged it, the rest were reconstructed).</summary>
    public required string ConcurrencySource { get; init; }

    /// <summary>Attempts in the group, failures and retries included.</summary>
    public required long Events { get; init; }
    /// <summary>Successful attempts (status ok): the outputs measured, the row's weight.</summary>
    public required long Requests { get; init; }
    public required long Failures { get; init; }

    public required double? InputTokens { get; init; }
    public required double? CachedInputTokens { get; init; }
    public required double? CacheWriteTokens { get; init; }
    public required double? OutputTokens { get; init; }
    public required double? ReasoningTokens { get; init; }
    /// <summary>Σ cached input tokens ÷ Σ input tokens over successful attempts.</summary>
    public required double? CacheHitRate { get; init; }
    /// <summary>True when every successful attempt went through a batch API.</summary>
    public required bool BatchEligible { get; init; }
    public required double? BatchShare { get; init; }

    /// <summary>Per-request p50 of time to first token over successful streamed attempts, ms.</summary>
    public required double? TtftMs { get; init; }
    public required double? TtftP95Ms { get; init; }
    public required double? LatencyP50Ms { get; init; }
    public required double? LatencyP95Ms { get; init; }
    public required double? LatencyP99Ms { get; init; }
    /// <summary>Why the latency percentiles are null (no successful attempt), else null.</summary>
    public required string? LatencyReason { get; init; }
    /// <summary>p95 over all attempts with each failure counted as infinitely slow.</summary>
    public required double? LatencyP95ErrorAdjustedMs { get; init; }
    public required string? LatencyP95ErrorAdjustedReason { get; init; }
    /// <summary>Per-token decode rate per stream: Σ output tokens ÷ Σ (latency − TTFT) seconds.</summary>
    public required double? OutputTokensPerSecond { get; init; }
    public required string OutputTokensPerSecondBasis { get; init; }

    /// <summary>Accepted ÷ judged successful outputs; null when nothing was judged.</summary>
    public required double? AcceptedOutputRate { get; init; }
    public required long JudgedOutputs { get; init; }
    public required string? AcceptanceReason { get; init; }
    /// <summary>Σ cost of every attempt (failures and retries included) ÷ successful outputs, USD.</summary>
    public required decimal? CostUsd { get; init; }
    public required string? CostReason { get; init; }
    /// <summary>Σ review minutes ÷ successful outputs.</summary>
    public required double? ReviewMinutes { get; init; }

    /// <summary>Retries (attempt ≥ 2) per first attempt.</summary>
    public required double? RetryRate { get; init; }
    public required double TimeoutRate { get; init; }
    /// <summary>Attempts that ended in error or rate_limited, ÷ attempts.</summary>
    public required double ErrorRate { get; init; }

    public required DateTimeOffset MeasuredAt { get; init; }
    public required double WindowSeconds { get; init; }

    public string PercentileSource => "events";

    /// <summary>What each percentile is taken over: per-request (one value per successful attempt) or per-token.</summary>
    public IReadOnlyDictionary<string, string> PercentileBasis { get; } = Basis;

    private static readonly IReadOnlyDictionary<string, string> Basis = new Dictionary<string, string>
    {
        ["latencyP50Ms"] = "per-request",
        ["latencyP95Ms"] = "per-request",
        ["latencyP99Ms"] = "per-request",
        ["latencyP95ErrorAdjustedMs"] = "per-request (attempts; failures count as infinitely slow)",
        ["ttftMs"] = "per-request (p50)",
        ["ttftP95Ms"] = "per-request",
        ["outputTokensPerSecond"] = "per-token (ratio of sums, not a percentile)",
    };

    /// <summary>The contract row, or null when the group cannot make one: no successful attempt, a dimension that
    /// mixes several values, or no judged output (acceptedOutputRate is a required contract field).</summary>
    public TraceRow? ToTraceRow()
    {
        if (Requests == 0 || AcceptedOutputRate is null || Route is null || Provider is null || Model is null || Workload is null || Concurrency is null ||
            LatencyP50Ms is null || LatencyP95Ms is null)
        {
            return null;
        }
        return new TraceRow
        {
            Route = Route,
            Provider = Provider,
            Model = Model,
            Workload = Workload,
            InputTokens = InputTokens ?? 0,
            OutputTokens = OutputTokens ?? 0,
            CacheHitRate = CacheHitRate ?? 0,
            BatchEligible = BatchEligible,
            Concurrency = Concurrency.Value,
            // A row's ttftMs may not exceed its p50; the p50 of TTFT over streamed attempts can, when few were streamed.
            TtftMs = Math.Min(TtftMs ?? 0, LatencyP50Ms.Value),
            LatencyP50Ms = LatencyP50Ms.Value,
            LatencyP95Ms = LatencyP95Ms.Value,
            OutputTokensPerSecond = OutputTokensPerSecond ?? 0,
            AcceptedOutputRate = AcceptedOutputRate.Value,
            CostUsd = CostUsd,
            ReviewMinutes = ReviewMinutes ?? 0,
            Requests = Requests,
            LatencyP99Ms = LatencyP99Ms,
            RetryRate = RetryRate,
            TimeoutRate = TimeoutRate,
            ErrorRate = ErrorRate,
            CachedInputTokens = CachedInputTokens,
            CacheWriteTokens = CacheWriteTokens,
            ReasoningTokens = ReasoningTokens,
            MeasuredAt = MeasuredAt,
            WindowSeconds = WindowSeconds,
            Notes = $"rolled up from {Events} events (percentileSource events)",
        };
    }
}
