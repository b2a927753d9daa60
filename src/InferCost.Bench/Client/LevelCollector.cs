using InferCost.Core.Events;
using InferCost.Core.Simulation;

namespace InferCost.Bench.Client;

/// <summary>What one level recorded: its events, error classes, chunk gaps, schedule lag and where token counts came
/// from. Thread-safe (one lock; held for an append).</summary>
internal sealed class LevelCollector(BenchLevel level)
{
    private readonly object _gate = new();
    private readonly List<RequestEvent> _events = [];
    private readonly List<double> _okLatencies = [];
    private readonly Dictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly StreamingPercentiles _gaps = new(200_000);
    private readonly StreamingPercentiles _lag = new(200_000);

    public BenchLevel Level { get; } = level;
    public long TokensFromUsage { get; private set; }
    public long TokensFromTokenizer { get; private set; }
    public long Sent { get; private set; }
    public double LastSendSeconds { get; private set; }
    public double LastScheduledSeconds { get; private set; }

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

    /// <summary>An open-loop send: how late it left against its schedule, and when (seconds from the level's start).</summary>
    public void AddSend(double scheduledSeconds, double sentSeconds)
    {
        lock (_gate)
        {
            Sent++;
            _lag.Add(Math.Max(0, (sentSeconds - scheduledSeconds) * 1000.0));
            LastSendSeconds = Math.Max(LastSendSeconds, sentSeconds);
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
