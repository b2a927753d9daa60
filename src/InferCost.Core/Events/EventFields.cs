using InferCost.Core.Contract;

namespace InferCost.Core.Events;

/// <summary>The request-event columns (CSV header names and JSON keys, camelCase) and how each is checked.
/// <c>endedAt</c> or <c>latencyMs</c> must be given; <c>status</c> defaults to ok when the column is absent.</summary>
public static class EventFields
{
    public static IReadOnlyList<FieldSpec> All { get; } =
    [
        F("requestId", FieldKind.Text, "", "Identifier of the request; retries share it.", required: true),
        F("startedAt", FieldKind.Timestamp, "ISO 8601 or epoch ms", "When the attempt was sent.", required: true),
        F("endedAt", FieldKind.Timestamp, "ISO 8601 or epoch ms", "When the last byte arrived (or give latencyMs)."),
        F("latencyMs", FieldKind.NonNegative, "ms", "Start to last byte (or give endedAt)."),
        F("route", FieldKind.Route, "", "One of the five routes, or an alias.", required: true),
        F("provider", FieldKind.Text, "", "Who served the request.", required: true),
        F("model", FieldKind.Text, "", "The model name as logged.", required: true),
        F("workload", FieldKind.Text, "", "The workload the request belongs to.", required: true),
        F("inputTokens", FieldKind.Integer, "tokens", "All input tokens, cached ones included.", required: true),
        F("cachedInputTokens", FieldKind.Integer, "tokens", "Input tokens read from the prompt cache (inside inputTokens)."),
        F("cacheWriteTokens", FieldKind.Integer, "tokens", "Input tokens written to the prompt cache (inside inputTokens)."),
        F("outputTokens", FieldKind.Integer, "tokens", "Output tokens, reasoning included.", required: true),
        F("reasoningTokens", FieldKind.Integer, "tokens", "Reasoning tokens (inside outputTokens)."),
        F("ttftMs", FieldKind.NonNegative, "ms", "Time to first token; empty when not streamed."),
        F("status", FieldKind.Text, "", "ok | error | timeout | rate_limited | cancelled (default ok)."),
        F("attempt", FieldKind.Integer, "", "1 for the first attempt, 2 and up for retries (default 1).", min: 1),
        F("accepted", FieldKind.Boolean, "", "Whether the output was accepted; empty when not judged."),
        F("reviewMinutes", FieldKind.NonNegative, "minutes", "Human review minutes spent on the output."),
        F("costUsd", FieldKind.NonNegative, "USD", "Observed cost of the attempt; empty to model it."),
        F("batch", FieldKind.Boolean, "", "Sent through a batch API (default false)."),
        F("concurrency", FieldKind.Integer, "requests in flight", "In-flight requests when it ran; empty to reconstruct.", min: 1),
        F("runId", FieldKind.Text, "", "The run or benchmark the event belongs to."),
    ];

    private static readonly Dictionary<string, int> IndexByName =
        All.Select((f, i) => (f.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);

    /// <summary>The position of a field in <see cref="All"/>, or -1 (names are case-sensitive).</summary>
    public static int IndexOf(string name) => IndexByName.TryGetValue(name, out var i) ? i : -1;

    internal static int IndexOf(ReadOnlySpan<char> name) =>
        IndexByName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var i) ? i : -1;

    public const int RequestId = 0, StartedAt = 1, EndedAt = 2, LatencyMs = 3, Route = 4, Provider = 5, Model = 6, Workload = 7,
        InputTokens = 8, CachedInputTokens = 9, CacheWriteTokens = 10, OutputTokens = 11, ReasoningTokens = 12, TtftMs = 13,
        Status = 14, Attempt = 15, Accepted = 16, ReviewMinutes = 17, CostUsd = 18, Batch = 19, Concurrency = 20, RunId = 21;

    public static int Count => All.Count;

    /// <summary>The message for a column that is not an event field, with the closest name when one is near.</summary>
    internal static string UnknownColumnMessage(string name) =>
        Fit.NameMatcher.Nearest(name, All.Select(f => f.Name)) is { } best
            ? $"is not an event field and is ignored (did you mean {best}? names are case-sensitive)"
            : "is not an event field and is ignored";

    private static FieldSpec F(string name, FieldKind kind, string unit, string description, bool required = false, long min = 0) =>
        new(name, kind, IsSeed: false, IsRequired: required, unit, description, min);
}
