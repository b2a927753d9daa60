using InferCost.Core.Events;

namespace InferCost.Bench.Client;

/// <summary>Why an attempt failed, as the bench reports it (the wire names are in <see cref="ErrorClasses"/>).</summary>
public enum ErrorClass
{
    None,
    /// <summary>HTTP 429.</summary>
    RateLimited,
    /// <summary>HTTP 4xx other than 429.</summary>
    ClientError,
    /// <summary>HTTP 5xx.</summary>
    ServerError,
    /// <summary>No full response within --timeout-ms.</summary>
    Timeout,
    /// <summary>The connection failed before a response.</summary>
    Connection,
    /// <summary>The stream ended or broke before its end ([DONE] or a finish_reason).</summary>
    StreamCut,
    /// <summary>The body was not a chat-completions stream or object (bad JSON, foreign lines).</summary>
    Malformed,
    /// <summary>An error object inside a 200 stream.</summary>
    StreamError,
    /// <summary>The run was stopped while the attempt was in flight.</summary>
    Cancelled,
    /// <summary>A usage block that cannot be believed (<see cref="UsageCheck"/>): negative, huge or inconsistent.</summary>
    ImplausibleUsage,
}

public static class ErrorClasses
{
    public static string ToWire(this ErrorClass error) => error switch
    {
        ErrorClass.None => "none",
        ErrorClass.RateLimited => "http_429",
        ErrorClass.ClientError => "http_4xx",
        ErrorClass.ServerError => "http_5xx",
        ErrorClass.Timeout => "timeout",
        ErrorClass.Connection => "connection",
        ErrorClass.StreamCut => "stream_cut",
        ErrorClass.Malformed => "malformed_response",
        ErrorClass.StreamError => "stream_error",
        ErrorClass.ImplausibleUsage => "implausible_usage",
        _ => "cancelled",
    };

    /// <summary>The event status an error class is logged as.</summary>
    public static EventStatus ToStatus(this ErrorClass error) => error switch
    {
        ErrorClass.None => EventStatus.Ok,
        ErrorClass.RateLimited => EventStatus.RateLimited,
        ErrorClass.Timeout => EventStatus.Timeout,
        ErrorClass.Cancelled => EventStatus.Cancelled,
        _ => EventStatus.Error,
    };
}

/// <summary>What one HTTP attempt measured. Times in milliseconds from the moment the request was handed to
/// the HTTP stack; <see cref="StartTimestamp"/> is a <see cref="System.Diagnostics.Stopwatch"/> timestamp.</summary>
public sealed record AttemptResult
{
    public required long StartTimestamp { get; init; }
    public required double LatencyMs { get; init; }
    /// <summary>First chunk that carried content; null when none did or the response was not streamed.</summary>
    public double? TtftMs { get; init; }
    public required ErrorClass Error { get; init; }
    public int? HttpStatus { get; init; }
    public long? PromptTokens { get; init; }
    public long? CompletionTokens { get; init; }
    public long? CachedTokens { get; init; }
    public long? ReasoningTokens { get; init; }
    /// <summary>The assistant's text (content of every chunk).</summary>
    public string Text { get; init; } = string.Empty;
    /// <summary>Chunks that carried content.</summary>
    public int ContentChunks { get; init; }
    /// <summary>Gaps between content-carrying reads, ms.</summary>
    public IReadOnlyList<double> ChunkGapsMs { get; init; } = [];
    /// <summary>Output tokens counted from <see cref="Text"/> with <see cref="TokenCounter"/> when the endpoint sent
    /// no believable usage; fewer than the text holds when the attempt's time ran out while counting.</summary>
    public int? CountedOutputTokens { get; init; }
    /// <summary>The server's Retry-After, in seconds, when it sent one.</summary>
    public double? RetryAfterSeconds { get; init; }
}
