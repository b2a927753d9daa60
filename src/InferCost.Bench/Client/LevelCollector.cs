using InferCost.Core.Events;
using InferCost.Core.Simulation;

namespace InferCost.Bench.Client;

/// <summary>What one level recorded: its events, error classes, chunk gaps, schedule lag and where token counts came
/// from. Thread-safe (one lock; held for an append).</summary>
internal sealed class LevelCollector(BenchLevel level, string runId, ConnectionBreaker breaker)
{
    /// <summary>The level's breaker (shared by its recorded and its warm-up collector).</summary>
    public ConnectionBreaker Breaker { get; } = breaker;

    private readonly object _gate = new();
    private readonly List<RequestEvent> _events = [];
    private readonly List<double> _okLatencies = [];
    private readonly Dictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly StreamingPercentiles _gaps = new(200_000);
    private readonly StreamingPercentiles _lag = new(200_000);

    public BenchLevel Level { get; } = level;

    /// <summary>The level's run id (<c>RUN-TAG</c>), built once: every event and request id carries it.</summary>
    public string RunId { get; } = runId;
    public long TokensFromUsage { get; private set; }
    public long TokensFromTokenizer { get; private set; }
    public long Sent { get; private set; }
    /// <summary>Retries whose wait was cut to --backoff-max-ms although the server's Retry-After asked for more.</summary>
    public long RetryAfterCapped { get; private set; }
    /// <summary>The longest Retry-After among those, seconds.</summary>
    public double? LongestCappedRetryAfterSeconds { get; private set; }
    public double FirstSendSeconds { get; private set; } = double.PositiveInfinity;
    public double LastSendSeconds { get; private set; }
    public double FirstScheduledSeconds { get; private set; } = double.PositiveInfinity;
    public double LastScheduledSeconds { get; private set; }

    /// <summary>Recorded sends per second between the first and the last recorded send (n − 1 gaps), so a warm-up
    /// before them does not dilute the rate.</summary>
    public double? AchievedRatePerSecond => Sent > 1 && LastSendSeconds > FirstSendSeconds ? (Sent - 1) / (LastSendSeconds - FirstSendSeconds) : null;

    /// <summary>The same over the schedule's times: the rate this seeded draw of arrivals asked for.</summary>
    public double? ScheduledRatePerSecond => Sent > 1 && LastScheduledSeconds > FirstScheduledSeconds ? (Sent - 1) / (LastScheduledSeconds - FirstScheduledSeconds) : null;

    public void Add(RequestEvent e, AttemptResult result, bool tokensFromUsage)
    {
        lock (_gate)
        {
            _events.Add(e);
            if (e.Status == EventStatus.Ok)
            {
                _okLatencies.Add(e.LatencyMs);
            }
            else
            {
                var name = result.Error.ToWire();
                _errors[name] = _errors.GetValueOrDefault(name) + 1;
            }
            foreach (var gap in result.ChunkGapsMs)
            {
                _gaps.Add(gap);
            }
            if (tokensFromUsage)
            {
                TokensFromUsage++;
            }
            else
            {
                TokensFromTokenizer++;
            }
        }
    }

    public void AddCappedRetryAfter(double askedSeconds)
    {
        lock (_gate)
        {
            RetryAfterCapped++;
            LongestCappedRetryAfterSeconds = Math.Max(LongestCappedRetryAfterSeconds ?? 0, askedSeconds);
        }
    }

    /// <summary>An open-loop send: how late it left against its schedule, and when (seconds from the level's start).</summary>
    public void AddSend(double scheduledSeconds, double sentSeconds)
    {
        lock (_gate)
        {
            Sent++;
            _lag.Add(Math.Max(0, (sentSeconds - scheduledSeconds) * 1000.0));
            FirstSendSeconds = Math.Min(FirstSendSeconds, sentSeconds);
            LastSendSeconds = Math.Max(LastSendSeconds, sentSeconds);
            FirstScheduledSeconds = Math.Min(FirstScheduledSeconds, scheduledSeconds);
            LastScheduledSeconds = Math.Max(LastScheduledSeconds, scheduledSeconds);
        }
    }

    public IReadOnlyList<RequestEvent> Events()
    {
        lock (_gate)
        {
            return _events.ToList();
        }
    }

    public IReadOnlyDictionary<string, long> Errors()
    {
        lock (_gate)
        {
            return new SortedDictionary<string, long>(_errors, StringComparer.Ordinal);
        }
    }

    /// <summary>Completed attempts, errors, and the p50/p95 of successful latencies so far.</summary>
    public (long Done, long Errors, double? P50Ms, double? P95Ms) Snapshot()
    {
        double[] sorted;
        long done, errors;
        lock (_gate)
        {
            done = _events.Count;
            errors = _events.Count - _okLatencies.Count;
            sorted = _okLatencies.ToArray();
        }
        if (sorted.Length == 0)
        {
            return (done, errors, null, null);
        }
        Array.Sort(sorted);
        return (done, errors, Percentiles.Interpolate(sorted, 0.50), Percentiles.Interpolate(sorted, 0.95));
    }

    public (double? P50, double? P99, double? Max, PercentileMethod Method) Gaps()
    {
        lock (_gate)
        {
            return Summarise(_gaps);
        }
    }

    public (double? P50, double? P99, double? Max, PercentileMethod Method) Lag()
    {
        lock (_gate)
        {
            return Summarise(_lag);
        }
    }

    private static (double? P50, double? P99, double? Max, PercentileMethod Method) Summarise(StreamingPercentiles p) =>
        p.Count == 0 ? (null, null, null, p.Method) : (p.Quantile(0.50), p.Quantile(0.99), p.Max, p.Method);
}
