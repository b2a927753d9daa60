using System.Globalization;
using InferCost.Core.Contract;
using InferCost.Core.Diagnostics;
using InferCost.Core.Events;

namespace InferCost.Core.Importers;

/// <summary>
/// The plausibility checks every import runs, in one place: whatever an importer read, a file whose numbers cannot be
/// right (every latency zero, TTFT above the latency) is an error, and one whose numbers are probably misread (every
/// start at the epoch, no tokens on a format that records usage, a median latency under 1 ms or over a day, a group
/// whose requests all failed) is a warning. Each names the field and how many records; the file is named by the
/// caller's sentence. Observes events one at a time in bounded memory. Not thread-safe.
/// </summary>
public sealed class ImportPlausibility
{
    /// <summary>Latencies kept for the median; beyond this a deterministic reservoir sample stands in for them.</summary>
    private const int LatencySample = 100_000;
    private const int MaxGroups = 10_000;
    private const double DayMs = 86_400_000;
    private static readonly DateTimeOffset EpochYearEnd = new(1971, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly bool _checkTtft;
    private readonly List<double> _latencies = [];
    private readonly Random _reservoir = new(0);
    private readonly Dictionary<(string Route, string Provider, string Model, string Workload, long? Concurrency), (long All, long Ok)> _groups = [];
    private long _events, _ok, _zeroLatency, _epochStarts, _ttftAbove, _firstTtftLine, _noInput, _noOutput;
    private long _rowZeroLatency, _rowTtftAbove, _rows;

    private readonly HashSet<string> _notLogged = new(StringComparer.Ordinal);

    /// <summary>A field the format does not log (declared by the importer): its placeholder is not a finding.</summary>
    public void NotLogged(string field) => _notLogged.Add(field);

    /// <param name="checkTtft">False where the reader already refuses each record whose TTFT exceeds its latency.</param>
    public ImportPlausibility(bool checkTtft = true) => _checkTtft = checkTtft;

    public void Observe(RequestEvent e, long line)
    {
        _events++;
        if (e.StartedAt < EpochYearEnd)
        {
            _epochStarts++;
        }
        var key = (e.Route, e.Provider, e.Model, e.Workload, e.Concurrency);
        if (_groups.TryGetValue(key, out var counts) || _groups.Count < MaxGroups)
        {
            _groups[key] = (counts.All + 1, counts.Ok + (e.Status == EventStatus.Ok ? 1 : 0));
        }
        if (e.Status != EventStatus.Ok)
        {
            return;
        }
        _ok++;
        if (e.LatencyMs == 0)
        {
            _zeroLatency++;
        }
        if (e.TtftMs is { } ttft && ttft > e.LatencyMs + 1e-6 && _ttftAbove++ == 0)
        {
            _firstTtftLine = line;
        }
        if (e.InputTokens == 0)
        {
            _noInput++;
        }
        if (e.OutputTokens == 0)
        {
            _noOutput++;
        }
        if (_latencies.Count < LatencySample)
        {
            _latencies.Add(e.LatencyMs);
        }
        else if (_reservoir.NextInt64(_ok) is var slot && slot < LatencySample)
        {
            _latencies[(int)slot] = e.LatencyMs;
        }
    }

    /// <summary>A contract row an importer built from a tool's summary: its latency and TTFT must be possible.</summary>
    public void Observe(TraceRow row, long line)
    {
        _rows++;
        if (row.LatencyP50Ms == 0 && row.LatencyP95Ms == 0)
        {
            _rowZeroLatency++;
        }
        if (row.TtftMs > row.LatencyP50Ms + 1e-6 && _rowTtftAbove++ == 0)
        {
            _firstTtftLine = line;
        }
    }

    /// <summary>Adds the findings to <paramref name="diagnostics"/>. <paramref name="format"/> names the format in
    /// words; <paramref name="carriesUsage"/> says whether it records token counts, so zero tokens are suspect.</summary>
    public void Report(DiagnosticBag diagnostics, string format, bool carriesUsage)
    {
        void Error(string field, string message) => diagnostics.Add(Diagnostic.Error(0, null, field, null, message));
        void Warn(string field, string message) => diagnostics.Add(Diagnostic.Warning(0, null, field, null, message));
        static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

        var latencyLogged = !_notLogged.Contains("latencyMs");
        if (latencyLogged && _ok > 0 && _zeroLatency == _ok)
        {
            Error("latencyMs", $"is 0 in all {N(_ok)} successful records: a request that succeeded took time, so the {format} file's timings were not read (is it a version this importer cannot read?)");
        }
        else if (latencyLogged && _zeroLatency > 0)
        {
            Warn("latencyMs", $"is 0 in {N(_zeroLatency)} of {N(_ok)} successful records");
        }
        if (_checkTtft && _ttftAbove > 0)
        {
            Error("ttftMs", $"exceeds latencyMs in {N(_ttftAbove)} successful records (first at record {N(_firstTtftLine)}): the first token cannot come after the last");
        }
        if (_events > 0 && _epochStarts == _events && !_notLogged.Contains("startedAt"))
        {
            Warn("startedAt", $"is in 1970 (the Unix epoch) for all {N(_events)} records: the file's start times were not read, so measuredAt and the time window are wrong");
        }
        if (carriesUsage && _ok > 0)
        {
            if (_noInput == _ok)
            {
                Warn("inputTokens", $"is 0 in all {N(_ok)} successful records although a {format} file records usage: token counts and cost will be wrong");
            }
            if (_noOutput == _ok)
            {
                Warn("outputTokens", $"is 0 in all {N(_ok)} successful records although a {format} file records usage: token counts and cost will be wrong");
            }
        }
        if (latencyLogged && _latencies.Count > 0 && _zeroLatency < _ok && LinearPercentile.Of(_latencies.Order().ToArray(), 0.5) is var median)
        {
            if (median < 1)
            {
                Warn("latencyMs", $"has a median of {median.ToString("0.####", CultureInfo.InvariantCulture)} ms over {N(_ok)} successful records, under 1 ms: the times are probably in seconds read as milliseconds (off by 10^3)");
            }
            else if (median > DayMs)
            {
                Warn("latencyMs", $"has a median of {median.ToString("0", CultureInfo.InvariantCulture)} ms over {N(_ok)} successful records, over a day: the times are probably in microseconds or nanoseconds read as milliseconds (off by 10^3 or more)");
            }
        }
        foreach (var ((route, provider, model, workload, concurrency), (all, ok)) in _groups.Where(g => g.Value.Ok == 0).OrderBy(g => g.Key.Model, StringComparer.Ordinal))
        {
            Warn("status", $"is a failure for all {N(all)} requests of {model} ({route}, {provider}, {workload}" +
                           (concurrency is { } c ? $", concurrency {N(c)}" : string.Empty) + "): that group has no latency percentiles and no cost per accepted output");
        }
        if (_rows > 0 && _rowZeroLatency == _rows)
        {
            Error("latencyP50Ms", $"is 0 in all {N(_rows)} rows built from the {format} file: its latency percentiles were not read");
        }
        if (_rowTtftAbove > 0)
        {
            Error("ttftMs", $"exceeds latencyP50Ms in {N(_rowTtftAbove)} rows built from the {format} file");
        }
    }
}
