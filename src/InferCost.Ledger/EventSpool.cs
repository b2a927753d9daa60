using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using InferCost.Core.Events;
using InferCost.Ledger.Bulk;

namespace InferCost.Ledger;

/// <summary>
/// Events read record by record (JSON Lines, JSON, tool logs, quoted CSV) reach the ledger through temporary CSV
/// files that DuckDB's parallel reader loads, instead of DuckDB's appender, which costs a call per value (22 per
/// event: more than the parsing itself). The files hold only what the binders produced, in the ledger's own types,
/// so the loads need no checks. An event a file cannot carry exactly — text that is not printable ASCII (a quoted
/// line end, say), or a time finer than a microsecond or before 1970 — goes to the appender instead; both land in
/// the same transaction.
/// </summary>
/// <remarks>
/// The events go in segments: while DuckDB loads one segment (on a thread of its own), the next is being written,
/// so parsing and loading overlap instead of following each other. One DuckDB connection must never be used by two
/// threads at once, so the appender only runs between loads: events for it wait in a short list that is flushed at
/// each segment's end, or sooner (after waiting for the load) when it fills. Used by one thread (the append
/// pipeline's worker), then finished by the thread that started the import, once the worker is done.
/// </remarks>
internal sealed class EventSpool : IDisposable
{
    private const long UnixEpochTicks = 621_355_968_000_000_000;

    /// <summary>Events that wait for the appender before the spool stops to flush them (or a segment's worth, if less).</summary>
    private const int PendingLimit = 4096;

    private readonly TraceLedger.EventAppender _appender;
    private readonly int _importId;
    private readonly string _pathPrefix;
    private readonly Func<string, long>? _load;
    private readonly int _segmentEvents;
    private readonly ArrayBufferWriter<byte> _line = new(512);
    private readonly List<(RequestEvent Event, long Line)> _pending = [];
    private Segment? _writing;
    private Segment? _loading;
    private Task<long>? _loadUnderWay;

    /// <summary>With <paramref name="load"/> null every event goes to the appender (the import's second try, after
    /// DuckDB refused a bulk statement). Otherwise <paramref name="load"/> runs a segment's load statement and
    /// returns the rows it inserted. Segment files are named <paramref name="pathPrefix"/> plus a GUID: beside the
    /// ledger, whose disk is about to hold the events anyway (a small /tmp would otherwise limit the import's size).</summary>
    public EventSpool(TraceLedger.EventAppender appender, int importId, Func<string, long>? load, string pathPrefix, int segmentEvents)
    {
        _appender = appender;
        _importId = importId;
        _load = load;
        _pathPrefix = pathPrefix;
        _segmentEvents = segmentEvents;
    }

    /// <summary>Events written to segment files so far (the rest went to the appender).</summary>
    public long Spooled { get; private set; }

    /// <summary>Events DuckDB has loaded from segment files so far.</summary>
    public long Loaded { get; private set; }

    public void Append(RequestEvent e, long line)
    {
        if (_load is null)
        {
            _appender.Append(e, line);
            return;
        }
        if (!Fits(e))
        {
            _pending.Add((e, line));
            if (_pending.Count >= Math.Min(PendingLimit, _segmentEvents))
            {
                AwaitLoad();
                FlushPending();
            }
            return;
        }
        _line.ResetWrittenCount();
        Integer(line);
        Text(e.RequestId);
        Integer((e.StartedAt.UtcTicks - UnixEpochTicks) / 10);
        Number(e.LatencyMs);
        Text(e.Route);
        Text(e.Provider);
        Text(e.Model);
        Text(e.Workload);
        Integer(e.InputTokens);
        Integer(e.CachedInputTokens);
        Integer(e.CacheWriteTokens);
        Integer(e.OutputTokens);
        Integer(e.ReasoningTokens);
        Number(e.TtftMs);
        Text(e.Status.ToWire());
        Integer(e.Attempt);
        Boolean(e.Accepted);
        Number(e.ReviewMinutes);
        Raw(e.CostUsd?.ToString(CultureInfo.InvariantCulture));
        Boolean(e.Batch);
        Integer(e.Concurrency);
        Text(e.RunId, last: true);
        _writing ??= new Segment($"{_pathPrefix}{Guid.NewGuid():N}.csv");
        _writing.File.Write(_line.WrittenSpan);
        Spooled++;
        if (++_writing.Events == _segmentEvents)
        {
            StartLoad();
        }
    }

    /// <summary>Waits until DuckDB has finished the load under way, if any: until then nothing else may use the
    /// connection (the pipeline calls this before it appends a contract row).</summary>
    public void AwaitLoad()
    {
        if (_loadUnderWay is null)
        {
            return;
        }
        var segment = _loading!;
        try
        {
            var loaded = _loadUnderWay.GetAwaiter().GetResult();
            if (loaded != segment.Events)
            {
                throw new InvalidOperationException($"DuckDB loaded {loaded} of the {segment.Events} events spooled to {segment.Path}.");
            }
            Loaded += loaded;
        }
        finally
        {
            _loadUnderWay = null;
            _loading = null;
            segment.File.Dispose();
        }
    }

    /// <summary>Loads what is left and flushes the appender; after this every event is in the transaction. Called
    /// once the pipeline's worker has stopped.</summary>
    public void Finish()
    {
        if (_writing is not null)
        {
            StartLoad();
        }
        AwaitLoad();
        FlushPending();
        _appender.Dispose();
    }

    /// <summary>The statement that loads one segment file into <c>request_events</c>.</summary>
    private string LoadSql(string path)
    {
        var types = new (string Name, string Type)[]
        {
            ("sourceLine", "BIGINT"), ("requestId", "VARCHAR"), ("startedUs", "BIGINT"), ("latencyMs", "DOUBLE"), ("route", "VARCHAR"),
            ("provider", "VARCHAR"), ("model", "VARCHAR"), ("workload", "VARCHAR"), ("inputTokens", "BIGINT"), ("cachedInputTokens", "BIGINT"),
            ("cacheWriteTokens", "BIGINT"), ("outputTokens", "BIGINT"), ("reasoningTokens", "BIGINT"), ("ttftMs", "DOUBLE"), ("status", "VARCHAR"),
            ("attempt", "INTEGER"), ("accepted", "BOOLEAN"), ("reviewMinutes", "DOUBLE"), ("costUsd", "DECIMAL(18,9)"), ("batch", "BOOLEAN"),
            ("concurrency", "BIGINT"), ("runId", "VARCHAR"),
        };
        var columns = string.Join(", ", types.Select(t => $"'{t.Name}': '{t.Type}'"));
        // Epoch microseconds to TIMESTAMPTZ without the session's time zone: to_timestamp takes seconds, so add an
        // interval of microseconds to the epoch instead (exact).
        return
            $"INSERT INTO request_events SELECT {_importId}, sourceLine, requestId, TIMESTAMPTZ '1970-01-01 00:00:00+00' + to_microseconds(startedUs), " +
            "latencyMs, route, provider, model, workload, inputTokens, cachedInputTokens, cacheWriteTokens, outputTokens, reasoningTokens, ttftMs, " +
            "status, attempt, accepted, reviewMinutes, costUsd, batch, concurrency, runId " +
            $"FROM read_csv({BulkSql.Literal(path)}, header = false, auto_detect = false, delim = ',', quote = '\"', escape = '\"', " +
            $"new_line = '\\n', allow_quoted_nulls = false, strict_mode = true, columns = {{{columns}}})";
    }

    /// <summary>Hands the segment being written to DuckDB, once the previous load is done (one at a time, which also
    /// bounds the disk the segments take), and flushes the appender while the connection is free.</summary>
    private void StartLoad()
    {
        var segment = _writing!;
        _writing = null;
        segment.File.Flush();
        AwaitLoad();
        FlushPending();
        _loading = segment;
        var load = _load!;
        var sql = LoadSql(segment.Path);
        _loadUnderWay = Task.Factory.StartNew(() => load(sql), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void FlushPending()
    {
        foreach (var (e, line) in _pending)
        {
            _appender.Append(e, line);
        }
        _pending.Clear();
    }

    /// <summary>Whether the CSV file carries the event exactly: printable-ASCII text, whole microseconds since 1970.</summary>
    private static bool Fits(RequestEvent e) =>
        e.StartedAt.UtcTicks % 10 == 0 && e.StartedAt.UtcTicks >= UnixEpochTicks &&
        Plain(e.RequestId) && Plain(e.Provider) && Plain(e.Model) && Plain(e.Workload) && Plain(e.Route) && (e.RunId is null || Plain(e.RunId));

    private static bool Plain(string text) => text.AsSpan().IndexOfAnyExceptInRange(' ', '~') < 0;

    private void Integer(long? value, bool last = false)
    {
        if (value is { } v)
        {
            var span = _line.GetSpan(20);
            Utf8Formatter.TryFormat(v, span, out var written);
            _line.Advance(written);
        }
        Separator(last);
    }

    private void Number(double? value)
    {
        if (value is { } v)
        {
            // Shortest round-trip form: DuckDB's parser reads back the same double.
            var span = _line.GetSpan(32);
            v.TryFormat(span, out var written, "R", CultureInfo.InvariantCulture);
            _line.Advance(written);
        }
        Separator(last: false);
    }

    private void Boolean(bool? value)
    {
        if (value is { } v)
        {
            Raw(v ? "true" : "false");
            return;
        }
        Separator(last: false);
    }

    private void Raw(string? text)
    {
        if (text is not null)
        {
            var span = _line.GetSpan(text.Length);
            _line.Advance(Encoding.ASCII.GetBytes(text, span));
        }
        Separator(last: false);
    }

    /// <summary>Always quoted (a quote inside doubled), so no text is mistaken for NULL or split at a comma.</summary>
    private void Text(string? text, bool last = false)
    {
        if (text is not null)
        {
            var span = _line.GetSpan(text.Length * 2 + 2);
            var at = 0;
            span[at++] = (byte)'"';
            foreach (var c in text)
            {
                if (c == '"')
                {
                    span[at++] = (byte)'"';
                }
                span[at++] = (byte)c;
            }
            span[at++] = (byte)'"';
            _line.Advance(at);
        }
        Separator(last);
    }

    private void Separator(bool last)
    {
        var span = _line.GetSpan(1);
        span[0] = last ? (byte)'\n' : (byte)',';
        _line.Advance(1);
    }

    /// <summary>On success <see cref="Finish"/> has already closed everything. On failure, waits for a load under way
    /// (its error, if any, is not the one being reported) and deletes the segment files; the appender's own close may
    /// then fail against the aborted transaction, whose rows are discarded anyway.</summary>
    public void Dispose()
    {
        try
        {
            _loadUnderWay?.Wait();
        }
        catch (AggregateException)
        {
        }
        _loading?.File.Dispose();
        _writing?.File.Dispose();
        try
        {
            _appender.Dispose();
        }
        catch (DuckDB.NET.Data.DuckDBException)
        {
        }
    }

    /// <summary>One spool file, deleted when closed (after its load, or on failure).</summary>
    private sealed class Segment(string path)
    {
        public string Path { get; } = path;
        public FileStream File { get; } = new(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 20, FileOptions.DeleteOnClose);
        public long Events { get; set; }
    }
}
