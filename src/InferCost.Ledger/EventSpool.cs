using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using InferCost.Core.Events;
using InferCost.Ledger.Bulk;

namespace InferCost.Ledger;

/// <summary>
/// Events read record by record (JSON Lines, JSON, tool logs, quoted CSV) reach the ledger through a temporary CSV
/// file that DuckDB's parallel reader loads in one statement, instead of DuckDB's appender, which costs a call per
/// value (22 per event: more than the parsing itself). The file holds only what the binders produced, in the
/// ledger's own types, so the load needs no checks. An event the file cannot carry exactly — text that is not
/// printable ASCII (a quoted line end, say), or a time finer than a microsecond or before 1970 — goes to the appender
/// instead; both land in the same transaction. Used by one thread (the append pipeline's worker).
/// </summary>
internal sealed class EventSpool : IDisposable
{
    private const long UnixEpochTicks = 621_355_968_000_000_000;

    private readonly TraceLedger.EventAppender _appender;
    private readonly int _importId;
    private readonly string _path;
    private readonly FileStream? _file;
    private readonly ArrayBufferWriter<byte> _line = new(512);

    /// <summary>With <paramref name="useFile"/> false every event goes to the appender (the import's second try,
    /// after DuckDB refused a bulk statement). The file goes in <paramref name="directory"/>: beside the ledger, whose
    /// disk is about to hold the events anyway (a small /tmp would otherwise limit the import's size).</summary>
    public EventSpool(TraceLedger.EventAppender appender, int importId, bool useFile, string directory)
    {
        _appender = appender;
        _importId = importId;
        _path = System.IO.Path.Combine(directory, $".infercost-events-{Guid.NewGuid():N}.csv");
        _file = useFile ? new FileStream(_path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 20, FileOptions.DeleteOnClose) : null;
    }

    /// <summary>Events written to the file so far (the rest went to the appender).</summary>
    public long Spooled { get; private set; }

    public void Append(RequestEvent e, long line)
    {
        if (_file is null || !Fits(e))
        {
            _appender.Append(e, line);
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
        _file.Write(_line.WrittenSpan);
        Spooled++;
    }

    /// <summary>The statement that loads the spooled events into <c>request_events</c> (flushing the file first);
    /// the caller runs it in the import's transaction and checks the count against <see cref="Spooled"/>.</summary>
    public string LoadSql()
    {
        _file?.Flush();
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
            $"FROM read_csv({BulkSql.Literal(_path)}, header = false, auto_detect = false, delim = ',', quote = '\"', escape = '\"', " +
            $"new_line = '\\n', allow_quoted_nulls = false, strict_mode = true, columns = {{{columns}}})";
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

    /// <summary>Flushes and closes the appender (the events that did not fit the file), before the file is loaded.</summary>
    public void CloseAppender() => _appender.Dispose();

    public void Dispose()
    {
        _appender.Dispose();
        _file?.Dispose();
    }
}
