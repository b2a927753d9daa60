using System.Globalization;
using InferCost.Core.Contract;
using InferCost.Core.Events;
using InferCost.Core.Metrics;
using InferCost.Core.Simulation;

namespace InferCost.Bench.Client;

/// <summary>summary.json of a bench run (<c>"schema": "infercost.bench/v1"</c>): the run's settings and, per level,
/// the exact rollup of its events (<see cref="EventRollup"/>), the contract row made from it, and what the rollup
/// does not hold: achieved rate and schedule lag (open loop), goodput, error classes, chunk gaps and where token
/// counts came from. Immutable.</summary>
public sealed record BenchSummary
{
    public string Schema => "infercost.bench/v1";
    public required string RunId { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    /// <summary>The endpoint without user info or query string (where keys sometimes hide).</summary>
    public required string Endpoint { get; init; }
    public required string Model { get; init; }
    public required string Route { get; init; }
    public required string Provider { get; init; }
    public required string Workload { get; init; }
    public required BenchRunSettings Settings { get; init; }
    public required IReadOnlyList<BenchLevelSummary> Levels { get; init; }
    /// <summary>The contract rows of every level that has one, ready for <c>infercost import</c>.</summary>
    public required IReadOnlyList<TraceRow> Rows { get; init; }
    public required bool Cancelled { get; init; }
    public required IReadOnlyList<string> Notes { get; init; }
}

/// <summary>The run's settings as given (never the API key itself: only the variable's name).</summary>
public sealed record BenchRunSettings
{
    public required string Mode { get; init; }
    public required IReadOnlyList<double> LevelValues { get; init; }
    public required double Burstiness { get; init; }
    public required long? RequestsPerLevel { get; init; }
    public required double? DurationSecondsPerLevel { get; init; }
    public required int Warmup { get; init; }
    public required int? MaxTokens { get; init; }
    public required double? TimeoutMs { get; init; }
    public required int MaxRetries { get; init; }
    public required double BackoffBaseMs { get; init; }
    public required double BackoffCapMs { get; init; }
    public required bool Stream { get; init; }
    public required string Prompts { get; init; }
    public required string? Accept { get; init; }
    public required double? LatencyTargetMs { get; init; }
    public required ulong Seed { get; init; }
    public required string? ApiKeyEnv { get; init; }
}

public sealed record BenchLevelSummary
{
    public required string Mode { get; init; }
    public required double Value { get; init; }
    /// <summary>Logical requests recorded (first attempts).</summary>
    public required long Requests { get; init; }
    /// <summary>Attempts recorded, retries included.</summary>
    public required long Attempts { get; init; }
    public required long Succeeded { get; init; }
    /// <summary>The level's whole run, warm-up included.</summary>
    public required double WallSeconds { get; init; }
    /// <summary>From the first recorded attempt's start to the last one's end: the window the recorded requests
    /// (warm-up excluded) were served in, and the denominator of the per-second figures.</summary>
    public required double MeasuredSeconds { get; init; }
    /// <summary>Successful recorded requests per second of <see cref="MeasuredSeconds"/>.</summary>
    public required double ThroughputRequestsPerSecond { get; init; }
    /// <summary>Successful requests within the latency target and not rejected by the evaluator.</summary>
    public required long GoodRequests { get; init; }
    public required double GoodputRequestsPerSecond { get; init; }
    public required string GoodputRule { get; init; }
    public required IReadOnlyDictionary<string, long> ErrorsByClass { get; init; }
    public required string TokenSource { get; init; }
    /// <summary>Per-request time per output token after the first, (latency − TTFT) ÷ (output tokens − 1), over
    /// successful streamed requests with at least two output tokens.</summary>
    public double? TpotP50Ms { get; init; }
    public double? TpotP95Ms { get; init; }
    public double? ChunkGapP50Ms { get; init; }
    public double? ChunkGapP99Ms { get; init; }
    public double? ChunkGapMaxMs { get; init; }
    public double? TargetRatePerSecond { get; init; }
    public double? ScheduledRatePerSecond { get; init; }
    public double? AchievedRatePerSecond { get; init; }
    public double? ScheduleLagP50Ms { get; init; }
    public double? ScheduleLagP99Ms { get; init; }
    public double? ScheduleLagMaxMs { get; init; }
    /// <summary>Open loop: mean requests in flight (Σ attempt latency ÷ wall time, Little's law).</summary>
    public double? MeanInFlight { get; init; }
    public required RollupRow? Rollup { get; init; }
    public required TraceRow? Row { get; init; }
    public required string? RowReason { get; init; }
    public required bool Cancelled { get; init; }
    /// <summary>Why the level stopped before its end (the endpoint stopped answering); null when it ran to the end.</summary>
    public string? StoppedReason { get; init; }
    /// <summary>Retries that waited --backoff-max-ms although the server's Retry-After asked for longer, and the
    /// longest Retry-After among them (seconds); 0 and null when none.</summary>
    public long RetryAfterCapped { get; init; }
    public double? LongestCappedRetryAfterSeconds { get; init; }
}

public static class BenchSummaryBuilder
{
    private static readonly IReadOnlyList<GroupDimension> WithoutConcurrency =
        [GroupDimension.Route, GroupDimension.Provider, GroupDimension.Model, GroupDimension.Workload];

    public static BenchSummary Build(BenchSettings settings, string endpoint, string? apiKeyEnv, DateTimeOffset startedAt,
        IReadOnlyList<LevelOutcome> outcomes, bool cancelled)
    {
        var levels = outcomes.Select(o => Level(settings, o)).ToList();
        var notes = new List<string>
        {
            "Percentiles are exact over each level's successful attempts (linear interpolation); warm-up requests are not recorded.",
            "TTFT is the time to the first chunk carrying content; TPOT = (latency − TTFT) ÷ (output tokens − 1).",
        };
        if (levels.Any(l => l.TokenSource != "usage"))
        {
            notes.Add($"Some token counts come from the {TokenCounter.Name} tokenizer (Microsoft.ML.Tokenizers) because the endpoint sent no usage.");
        }
        if (levels.Any(l => l.ErrorsByClass.ContainsKey(ErrorClass.ImplausibleUsage.ToWire())))
        {
            notes.Add($"implausible_usage: the endpoint's usage block was negative, above {UsageCheck.MaxTokens.ToString("N0", CultureInfo.InvariantCulture)} tokens, no whole number, or inconsistent (cached beyond prompt, reasoning beyond completion); those attempts are errors and their tokens are counted with {TokenCounter.Name}.");
        }
        if (levels.Any(l => l.RetryAfterCapped > 0))
        {
            notes.Add($"Some Retry-After values asked for longer than --backoff-max-ms ({settings.Retry.CapMs.ToString(CultureInfo.InvariantCulture)} ms); those retries waited --backoff-max-ms (retryAfterCapped per level).");
        }
        if (settings.Levels.Any(l => l.Mode == LevelMode.Rate))
        {
            notes.Add("Rate levels: a level's row carries the mean requests in flight (Little's law) as its concurrency; events leave concurrency empty so a rollup reconstructs it.");
        }
        return new BenchSummary
        {
            RunId = settings.RunId,
            StartedAt = startedAt,
            Endpoint = endpoint,
            Model = settings.Model,
            Route = settings.Route,
            Provider = settings.Provider,
            Workload = settings.Workload,
            Settings = new BenchRunSettings
            {
                Mode = settings.Levels.Count > 0 && settings.Levels[0].Mode == LevelMode.Rate ? "rate" : "concurrency",
                LevelValues = settings.Levels.Select(l => l.Value).ToList(),
                Burstiness = settings.Burstiness,
                RequestsPerLevel = settings.RequestsPerLevel,
                DurationSecondsPerLevel = settings.DurationSecondsPerLevel,
                Warmup = settings.Warmup,
                MaxTokens = settings.MaxTokens,
                TimeoutMs = settings.TimeoutMs,
                MaxRetries = settings.Retry.MaxRetries,
                BackoffBaseMs = settings.Retry.BaseMs,
                BackoffCapMs = settings.Retry.CapMs,
                Stream = settings.Stream,
                Prompts = settings.Prompts.Description,
                Accept = settings.Evaluator?.Spec,
                LatencyTargetMs = settings.LatencyTargetMs,
                Seed = settings.Seed,
                ApiKeyEnv = apiKeyEnv,
            },
            Levels = levels,
            Rows = levels.Where(l => l.Row is not null).Select(l => l.Row!).ToList(),
            Cancelled = cancelled,
            Notes = notes,
        };
    }

    private static BenchLevelSummary Level(BenchSettings settings, LevelOutcome o)
    {
        var events = o.Events;
        var open = o.Level.Mode == LevelMode.Rate;
        var ok = events.Where(e => e.Status == EventStatus.Ok).ToList();
        var good = ok.Count(e => e.Accepted != false && (settings.LatencyTargetMs is not { } target || e.LatencyMs <= target));
        // Warm-up requests are not recorded, so their time must not count either: the per-second figures and the
        // mean in flight are over the recorded attempts' own window.
        var measured = events.Count == 0 ? 0
            : (events.Max(e => e.EndedAt) - events.Min(e => e.StartedAt)).TotalSeconds;
        double? meanInFlight = open && measured > 0 ? events.Sum(e => e.LatencyMs) / 1000.0 / measured : null;

        RollupRow? rollup = null;
        TraceRow? row = null;
        string? reason;
        if (events.Count == 0)
        {
            reason = "no request completed at this level";
        }
        else
        {
            rollup = EventRollup.Rollup(events, open ? WithoutConcurrency : EventRollup.DefaultGrouping).FirstOrDefault();
            if (open && rollup is not null)
            {
                rollup = rollup with { Concurrency = Math.Max(1, (long)Math.Round(meanInFlight ?? 1)), ConcurrencySource = "mean in flight (Little's law)" };
            }
            row = rollup?.ToTraceRow();
            if (row is not null && settings.LatencyTargetMs is { } targetMs)
            {
                row = row with { TargetP95Ms = targetMs };
            }
            reason = row is not null ? null
                : rollup is null || rollup.Requests == 0 ? "no successful request at this level"
                : rollup.AcceptedOutputRate is null ? "no output was judged, and acceptedOutputRate is a required contract field: pass --accept (or a dataset with expected answers)"
                : "the rollup could not make a contract row";
        }
        if (o.StoppedReason is { } stopped)
        {
            // Part of a level, most of it against an endpoint that was gone, is no measurement of that level.
            row = null;
            reason = $"the level stopped early ({stopped}): no contract row; its events and rollup hold what was measured";
        }
        var tpot = ok.Where(e => e.TtftMs is not null && e.OutputTokens > 1)
            .Select(e => (e.LatencyMs - e.TtftMs!.Value) / (e.OutputTokens - 1)).Order().ToArray();
        var tokenSource = o.TokensFromTokenizer == 0 ? "usage"
            : o.TokensFromUsage == 0 ? "tokenizer:" + TokenCounter.Name
            : $"mixed: {o.TokensFromTokenizer.ToString(CultureInfo.InvariantCulture)} of {(o.TokensFromTokenizer + o.TokensFromUsage).ToString(CultureInfo.InvariantCulture)} attempts counted with {TokenCounter.Name}";
        return new BenchLevelSummary
        {
            Mode = open ? "rate" : "concurrency",
            Value = o.Level.Value,
            Requests = events.Count(e => e.Attempt == 1),
            Attempts = events.Count,
            Succeeded = ok.Count,
            WallSeconds = o.WallSeconds,
            MeasuredSeconds = measured,
            ThroughputRequestsPerSecond = measured > 0 ? ok.Count / measured : 0,
            GoodRequests = good,
            GoodputRequestsPerSecond = measured > 0 ? good / measured : 0,
            GoodputRule = (settings.LatencyTargetMs is { } t ? $"latency ≤ {t.ToString(CultureInfo.InvariantCulture)} ms" : "no latency target")
                + (settings.Evaluator is null ? ", outputs not judged" : ", accepted by " + settings.Evaluator.Spec),
            ErrorsByClass = o.ErrorsByClass,
            TokenSource = tokenSource,
            TpotP50Ms = tpot.Length > 0 ? Percentiles.Interpolate(tpot, 0.50) : null,
            TpotP95Ms = tpot.Length > 0 ? Percentiles.Interpolate(tpot, 0.95) : null,
            ChunkGapP50Ms = o.ChunkGapP50Ms,
            ChunkGapP99Ms = o.ChunkGapP99Ms,
            ChunkGapMaxMs = o.ChunkGapMaxMs,
            TargetRatePerSecond = open ? o.Level.Value : null,
            ScheduledRatePerSecond = o.ScheduledRatePerSecond,
            AchievedRatePerSecond = o.AchievedRatePerSecond,
            ScheduleLagP50Ms = o.ScheduleLagP50Ms,
            ScheduleLagP99Ms = o.ScheduleLagP99Ms,
            ScheduleLagMaxMs = o.ScheduleLagMaxMs,
            MeanInFlight = meanInFlight,
            Rollup = rollup,
            Row = row,
            RowReason = reason,
            Cancelled = o.Cancelled,
            StoppedReason = o.StoppedReason,
            RetryAfterCapped = o.RetryAfterCapped,
            LongestCappedRetryAfterSeconds = o.LongestCappedRetryAfterSeconds,
        };
    }
}
