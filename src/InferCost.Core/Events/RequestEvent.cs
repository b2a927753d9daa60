namespace InferCost.Core.Events;

/// <summary>
/// One request attempt, as logged by a provider, a gateway, a benchmark tool or <c>infercost bench</c>.
/// Unlike a <see cref="Contract.TraceRow"/>, events can be combined into exact percentiles.
/// Token counts are for this one attempt; <see cref="InputTokens"/> includes cached tokens.
/// Immutable; safe to share across threads.
/// </summary>
public sealed record RequestEvent
{
    public required string RequestId { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    /// <summary>Start to last byte, in milliseconds (from <c>endedAt − startedAt</c> when only the end is logged).</summary>
    public required double LatencyMs { get; init; }
    public required string Route { get; init; }
    public required string Provider { get; init; }
    public required string Model { get; init; }
    public required string Workload { get; init; }
    /// <summary>All input tokens of the attempt, cached ones included.</summary>
    public required long InputTokens { get; init; }
    public long CachedInputTokens { get; init; }
    public long CacheWriteTokens { get; init; }
    public required long OutputTokens { get; init; }
    public long? ReasoningTokens { get; init; }
    /// <summary>Time to first token in milliseconds; null for non-streamed attempts.</summary>
    public double? TtftMs { get; init; }
    public required EventStatus Status { get; init; }
    /// <summary>1 for the first attempt of a request; 2 and up for retries.</summary>
    public int Attempt { get; init; } = 1;
    /// <summary>True or false when judged; null when nobody judged the output.</summary>
    public bool? Accepted { get; init; }
    public double? ReviewMinutes { get; init; }
    /// <summary>Observed cost of the attempt in USD; null means "model it from the price catalog".</summary>
    public decimal? CostUsd { get; init; }
    public bool Batch { get; init; }
    /// <summary>In-flight requests when the attempt ran, if the source logged it; else reconstructed from intervals.</summary>
    public long? Concurrency { get; init; }
    public string? RunId { get; init; }

    public DateTimeOffset EndedAt => StartedAt.AddMilliseconds(LatencyMs);
}

/// <summary>How a request attempt ended.</summary>
public enum EventStatus
{
    Ok,
    Error,
    Timeout,
    RateLimited,
    Cancelled,
}

/// <summary>The wire names of <see cref="EventStatus"/> (<c>ok | error | timeout | rate_limited | cancelled</c>).</summary>
public static class EventStatusNames
{
    public static string ToWire(this EventStatus status) => status switch
    {
        EventStatus.Ok => "ok",
        EventStatus.Error => "error",
        EventStatus.Timeout => "timeout",
        EventStatus.RateLimited => "rate_limited",
        EventStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static bool TryParse(string text, out EventStatus status)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "ok": case "success": status = EventStatus.Ok; return true;
            case "error": status = EventStatus.Error; return true;
            case "timeout": status = EventStatus.Timeout; return true;
            case "rate_limited": status = EventStatus.RateLimited; return true;
            case "cancelled": case "canceled": status = EventStatus.Cancelled; return true;
            default: status = EventStatus.Ok; return false;
        }
    }

    public const string All = "ok | error | timeout | rate_limited | cancelled";
}
