using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using InferCost.Core.Events;
using InferCost.Core.Simulation;

namespace InferCost.Bench.Client;

/// <summary>Progress of the level now running, reported about once a second.</summary>
public sealed record BenchProgress(BenchLevel Level, long Done, long Errors, double ElapsedSeconds, double? LatencyP50Ms, double? LatencyP95Ms, bool Final)
{
    public double RequestsPerSecond => ElapsedSeconds > 0 ? Done / ElapsedSeconds : 0;
}

/// <summary>What one level measured, before the rollup.</summary>
public sealed record LevelOutcome
{
    public required BenchLevel Level { get; init; }
    public required IReadOnlyList<RequestEvent> Events { get; init; }
    public required double WallSeconds { get; init; }
    public required IReadOnlyDictionary<string, long> ErrorsByClass { get; init; }
    public required long TokensFromUsage { get; init; }
    public required long TokensFromTokenizer { get; init; }
    public double? ChunkGapP50Ms { get; init; }
    public double? ChunkGapP99Ms { get; init; }
    public double? ChunkGapMaxMs { get; init; }
    /// <summary>Open loop: requests sent, the rate the schedule asked for and the rate achieved.</summary>
    public long? Sent { get; init; }
    public double? ScheduledRatePerSecond { get; init; }
    public double? AchievedRatePerSecond { get; init; }
    public double? ScheduleLagP50Ms { get; init; }
    public double? ScheduleLagP99Ms { get; init; }
    public double? ScheduleLagMaxMs { get; init; }
    public bool Cancelled { get; init; }
    /// <summary>Why the level stopped before its end (<see cref="ConnectionBreaker"/>); null when it ran to the end.</summary>
    public string? StoppedReason { get; init; }
    /// <summary>Retries whose wait was cut to --backoff-max-ms although Retry-After asked for more, and the longest
    /// such Retry-After in seconds.</summary>
    public long RetryAfterCapped { get; init; }
    public double? LongestCappedRetryAfterSeconds { get; init; }
}

/// <summary>Runs the levels one after another against one endpoint and writes every recorded attempt as an event.
/// Closed loop: N workers, each sending its next request when the last one (with its retries) is done. Open loop:
/// arrivals on a seeded Poisson or gamma schedule (<see cref="ArrivalSchedule"/>) sent whatever the responses, with
/// each send's lag behind its schedule recorded, so a saturated client shows as lag rather than as a slow server.
/// One runner per run; not reusable.</summary>
/// <param name="delay">Waits out a retry's backoff; tests pass one that records the wait and returns at once.</param>
public sealed class BenchRunner(BenchSettings settings, EndpointClient client, EventsJsonlWriter? events, TimeProvider clock,
    Func<TimeSpan, CancellationToken, Task>? delay = null)
{
    private readonly Func<TimeSpan, CancellationToken, Task> _delay = delay ?? Task.Delay;
    private readonly object _rngGate = new();
    private readonly SeededRandom _jitter = new(settings.Seed, 3);
    private readonly DateTimeOffset _wallAnchor = clock.GetUtcNow();
    private readonly long _tickAnchor = clock.GetTimestamp();
    private readonly TimeSpan? _timeout = settings.TimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
    private readonly string _modelJson = JsonSerializer.Serialize(settings.Model);
    private long _promptIndex;

    // Warm-up attempts go through every step a recorded attempt takes, into sinks that keep nothing: the code that
    // records an attempt is then compiled and its buffers sized before the first recorded one. The load commands run
    // without tiered compilation, so that code's first call otherwise stalls a level's first requests by tens of
    // milliseconds, which at 1,000 req/s is the whole of the p99.
    private readonly EventsJsonlWriter? _rehearsalEvents = events is null ? null : new EventsJsonlWriter(Stream.Null);

    public async Task<IReadOnlyList<LevelOutcome>> RunAsync(Action<BenchProgress>? progress, CancellationToken cancellationToken)
    {
        var outcomes = new List<LevelOutcome>();
        for (var i = 0; i < settings.Levels.Count; i++)
        {
            var level = settings.Levels[i];
            var outcome = await RunLevelAsync(level, (ulong)i, progress, cancellationToken).ConfigureAwait(false);
            outcomes.Add(outcome);
            // A level stopped because the endpoint no longer answers ends the run: the next level would only find
            // it gone again.
            if (cancellationToken.IsCancellationRequested || outcome.StoppedReason is not null)
            {
                break;
            }
        }
        return outcomes;
    }

    private async Task<LevelOutcome> RunLevelAsync(BenchLevel level, ulong levelIndex, Action<BenchProgress>? progress, CancellationToken cancellationToken)
    {
        using var breaker = ConnectionBreaker.For(level);
        var collector = new LevelCollector(level, $"{settings.RunId}-{level.Tag}", breaker);
        var rehearsal = new LevelCollector(level, collector.RunId, breaker);
        var start = Stopwatch.GetTimestamp();
        using var stopProgress = new CancellationTokenSource();
        var reporter = progress is null ? Task.CompletedTask : ReportAsync(collector, start, progress, stopProgress.Token);
        if (level.Mode == LevelMode.Concurrency)
        {
            await ClosedLoopAsync(level, collector, rehearsal, start, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await OpenLoopAsync(level, levelIndex, collector, rehearsal, start, cancellationToken).ConfigureAwait(false);
        }
        var wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        await stopProgress.CancelAsync().ConfigureAwait(false);
        await reporter.ConfigureAwait(false);
        if (progress is not null)
        {
            var (done, errors, p50, p95) = collector.Snapshot();
            progress(new BenchProgress(level, done, errors, wall, p50, p95, Final: true));
        }
        var gaps = collector.Gaps();
        var lag = collector.Lag();
        var open = level.Mode == LevelMode.Rate;
        return new LevelOutcome
        {
            Level = level,
            Events = collector.Events(),
            WallSeconds = wall,
            ErrorsByClass = collector.Errors(),
            TokensFromUsage = collector.TokensFromUsage,
            TokensFromTokenizer = collector.TokensFromTokenizer,
            ChunkGapP50Ms = gaps.P50,
            ChunkGapP99Ms = gaps.P99,
            ChunkGapMaxMs = gaps.Max,
            Sent = open ? collector.Sent : null,
            ScheduledRatePerSecond = open ? collector.ScheduledRatePerSecond : null,
            AchievedRatePerSecond = open ? collector.AchievedRatePerSecond : null,
            ScheduleLagP50Ms = lag.P50,
            ScheduleLagP99Ms = lag.P99,
            ScheduleLagMaxMs = lag.Max,
            Cancelled = cancellationToken.IsCancellationRequested,
            StoppedReason = breaker.Reason,
            RetryAfterCapped = collector.RetryAfterCapped,
            LongestCappedRetryAfterSeconds = collector.LongestCappedRetryAfterSeconds,
        };
    }

    private async Task ClosedLoopAsync(BenchLevel level, LevelCollector collector, LevelCollector rehearsal, long start, CancellationToken cancellationToken)
    {
        var total = settings.Warmup + (settings.RequestsPerLevel ?? long.MaxValue / 2);
        long next = 0;
        var concurrency = (int)level.Value;
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                while (!cancellationToken.IsCancellationRequested && !collector.Breaker.IsOpen)
                {
                    var i = Interlocked.Increment(ref next) - 1;
                    if (i >= total || PastDuration(start))
                    {
                        return;
                    }
                    var record = i >= settings.Warmup;
                    await RequestAsync(record ? collector : rehearsal, i, record, concurrency, cancellationToken).ConfigureAwait(false);
                }
            }, CancellationToken.None);
        }
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private async Task OpenLoopAsync(BenchLevel level, ulong levelIndex, LevelCollector collector, LevelCollector rehearsal, long start, CancellationToken cancellationToken)
    {
        // The arrivals are paced on a thread of their own with a sub-millisecond wait (PreciseWait): a timer on the
        // thread pool would add a millisecond or more to every send and share the pool with the responses.
        var inFlight = new List<Task>();
        var scheduled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pacer = new Thread(() =>
        {
            try
            {
                SendOnSchedule(level, levelIndex, collector, rehearsal, start, inFlight, cancellationToken);
                scheduled.SetResult();
            }
            catch (Exception ex)
            {
                scheduled.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "infercost arrivals",
        };
        pacer.Start();
        await scheduled.Task.ConfigureAwait(false);
        await Task.WhenAll(inFlight).ConfigureAwait(false);
    }

    /// <summary>Runs on the pacing thread: waits for each arrival's time and hands the request to the thread pool.</summary>
    private void SendOnSchedule(BenchLevel level, ulong levelIndex, LevelCollector collector, LevelCollector rehearsal, long start, List<Task> inFlight, CancellationToken cancellationToken)
    {
        var schedule = new ArrivalSchedule(new RenewalArrivals(level.Value, settings.Burstiness), settings.Seed + levelIndex);
        var total = settings.Warmup + (settings.RequestsPerLevel ?? long.MaxValue / 2);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, collector.Breaker.Tripped);
        for (long i = 0; i < total && !stop.IsCancellationRequested; i++)
        {
            var at = schedule.NextSeconds();
            if (settings.DurationSecondsPerLevel is { } duration && at > duration)
            {
                break;
            }
            var due = start + (long)(at * Stopwatch.Frequency);
            if (!PreciseWait.Until(due, stop.Token))
            {
                break;
            }
            var record = i >= settings.Warmup;
            var sink = record ? collector : rehearsal;
            sink.AddSend(at, Stopwatch.GetElapsedTime(start).TotalSeconds);
            var index = i;
            inFlight.Add(Task.Run(() => RequestAsync(sink, index, record, concurrency: null, cancellationToken), CancellationToken.None));
        }
    }

    private bool PastDuration(long start) =>
        settings.DurationSecondsPerLevel is { } duration && Stopwatch.GetElapsedTime(start).TotalSeconds >= duration;

    /// <summary>One logical request: its attempts, each written as an event when recorded (a warm-up request's go to
    /// the rehearsal sinks, <paramref name="collector"/> then being the level's rehearsal collector).</summary>
    private async Task RequestAsync(LevelCollector collector, long levelRequest, bool record, long? concurrency, CancellationToken cancellationToken)
    {
        var prompt = settings.Prompts.Get(Interlocked.Increment(ref _promptIndex) - 1);
        var body = Body(prompt);
        var requestId = collector.RunId + "-" + levelRequest.ToString(CultureInfo.InvariantCulture);
        for (var attempt = 1; ; attempt++)
        {
            if (collector.Breaker.IsOpen)
            {
                return; // the level has stopped: neither a new request nor a retry is sent
            }
            var result = await client.SendAsync(body, _timeout, cancellationToken).ConfigureAwait(false);
            collector.Breaker.Record(result.Error);
            bool? accepted = null;
            if (result.Error == ErrorClass.None && settings.Evaluator is { } evaluator)
            {
                try
                {
                    accepted = await evaluator.AcceptsAsync(result.Text, prompt.Expected, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Stopped while judging: the output stays unjudged.
                }
            }
            var e = ToEvent(result, prompt, requestId, attempt, accepted, concurrency, collector.RunId, out var fromUsage);
            if ((record ? events : _rehearsalEvents) is { } writer)
            {
                // The request counts as completed once its event is with the operating system.
                await writer.WriteAsync(e).ConfigureAwait(false);
            }
            collector.Add(e, result, fromUsage);
            if (!RetryPolicy.IsRetryable(result.Error) || attempt > settings.Retry.MaxRetries || cancellationToken.IsCancellationRequested)
            {
                return;
            }
            double uniform;
            lock (_rngGate)
            {
                uniform = _jitter.NextDouble();
            }
            var (waitMs, capped) = settings.Retry.Delay(attempt, result.RetryAfterSeconds, uniform);
            if (capped)
            {
                collector.AddCappedRetryAfter(result.RetryAfterSeconds!.Value);
            }
            try
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, collector.Breaker.Tripped);
                await _delay(TimeSpan.FromMilliseconds(waitMs), wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private RequestEvent ToEvent(AttemptResult result, BenchPrompt prompt, string requestId, int attempt, bool? accepted,
        long? concurrency, string runId, out bool fromUsage)
    {
        // Tokens come from usage only when it gave both counts (and the client found them believable); otherwise
        // both are counted, the reply's by the client within the attempt's time (TokenCounter).
        fromUsage = result.PromptTokens is not null && result.CompletionTokens is not null;
        var inputTokens = fromUsage ? result.PromptTokens!.Value : TokenCounter.Count(prompt.PromptText);
        var outputTokens = fromUsage ? result.CompletionTokens!.Value : result.CountedOutputTokens ?? 0;
        return new RequestEvent
        {
            RequestId = requestId,
            StartedAt = _wallAnchor + clock.GetElapsedTime(_tickAnchor, result.StartTimestamp),
            LatencyMs = result.LatencyMs,
            Route = settings.Route,
            Provider = settings.Provider,
            Model = settings.Model,
            Workload = settings.Workload,
            InputTokens = inputTokens,
            CachedInputTokens = fromUsage ? result.CachedTokens ?? 0 : 0,
            OutputTokens = outputTokens,
            ReasoningTokens = fromUsage ? result.ReasoningTokens : null,
            TtftMs = result.TtftMs,
            Status = result.Error.ToStatus(),
            Attempt = attempt,
            Accepted = accepted,
            Concurrency = concurrency,
            RunId = runId,
        };
    }

    private byte[] Body(BenchPrompt prompt)
    {
        var json = new StringBuilder(prompt.MessagesJson.Length + 160);
        json.Append("{\"model\":").Append(_modelJson).Append(",\"messages\":").Append(prompt.MessagesJson);
        if ((settings.MaxTokens ?? prompt.MaxTokens) is { } max)
        {
            json.Append(",\"max_tokens\":").Append(max.ToString(CultureInfo.InvariantCulture));
        }
        json.Append(settings.Stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}" : ",\"stream\":false}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    private static async Task ReportAsync(LevelCollector collector, long start, Action<BenchProgress> progress, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var (done, errors, p50, p95) = collector.Snapshot();
                progress(new BenchProgress(collector.Level, done, errors, Stopwatch.GetElapsedTime(start).TotalSeconds, p50, p95, Final: false));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
