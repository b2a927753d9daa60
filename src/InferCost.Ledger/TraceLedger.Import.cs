using System.Globalization;
using DuckDB.NET.Data;
using InferCost.Core.Contract;
using InferCost.Core.Events;
using InferCost.Core.Reading;

namespace InferCost.Ledger;

public sealed partial class TraceLedger
{
    /// <summary>
    /// Imports every file in one transaction. Every file is read in full, so every problem of every file is
    /// reported; rows stream into the DuckDB appender and nothing is kept in memory. If any file is invalid the
    /// transaction is rolled back and the ledger is exactly as it was. Content already in the ledger (same
    /// SHA-256) is skipped and reported as such.
    /// </summary>
    /// <exception cref="LedgerException">A storage failure (disk full, permission denied, a damaged file): nothing
    /// was imported and the ledger is unchanged.</exception>
    public ImportOutcome Import(IReadOnlyList<ImportSource> sources)
    {
        ImportOutcome outcome;
        try
        {
            outcome = ImportAndRestore(sources);
        }
        catch (DuckDBException ex)
        {
            throw WriteFailed(ex);
        }
        catch (IOException ex) when (ex.Message.Contains("space", StringComparison.OrdinalIgnoreCase))
        {
            // The spool's segment files are written beside the ledger too.
            throw WriteFailed(ex);
        }
        if (outcome.Committed && !outcome.NothingNew)
        {
            _unpublished = true;
        }
        if (outcome.Committed)
        {
            Publish();
        }
        return outcome;
    }

    private ImportOutcome ImportAndRestore(IReadOnlyList<ImportSource> sources)
    {
        var known = KnownImports();
        var knownSizes = KnownSizes();
        var nextId = NextImportId();
        var importedAt = _clock.GetUtcNow();
        // DuckDB keeps an open transaction's appended row groups in its buffer pool up to memory_limit (default
        // 80% of RAM), so without a cap memory grows with the file. Under the cap it writes full row groups to
        // the database file (the write copy) ahead of commit (optimistic writes) and rollback still discards them.
        // An in-memory ledger (files given straight to metrics or report) has nowhere to write ahead, so it keeps the default.
        var capMemory = Path != ":memory:";
        if (capMemory)
        {
            Execute($"SET memory_limit = '{ImportMemoryLimit}'");
        }
        try
        {
            try
            {
                return ImportInOneTransaction(sources, known, knownSizes, nextId, importedAt, bulk: true);
            }
            catch (BulkLoadException refused)
            {
                foreach (var statement in refused.Restore)
                {
                    Execute(statement);
                }
                // DuckDB refused the bulk statement itself (its transaction is then aborted): start again, record by record.
                return ImportInOneTransaction(sources, known, knownSizes, nextId, importedAt, bulk: false);
            }
        }
        finally
        {
            if (capMemory)
            {
                Execute("RESET memory_limit");
            }
        }
    }

    /// <summary>Runs one spool segment's load (on the spool's loader thread, while nothing else uses the connection) and
    /// returns the rows inserted. A refusal restarts the import without spooling, as for a refused bulk statement.</summary>
    private long RunSpoolLoad(string loadSql)
    {
        try
        {
            using var command = Connection.CreateCommand();
            command.CommandText = loadSql;
            return command.ExecuteNonQuery();
        }
        catch (DuckDBException ex)
        {
            throw new BulkLoadException(ex, ["RESET preserve_insertion_order", "RESET threads"]);
        }
    }

    /// <summary>Where spooled events wait for their load, as a path prefix: beside the ledger, named after it
    /// (<c>.team.duckdb.spool-…</c>), or in the temporary directory for an in-memory ledger.</summary>
    private string SpoolPrefix => Path == ":memory:"
        ? System.IO.Path.Combine(System.IO.Path.GetTempPath(), ".infercost-memory.spool-")
        : System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!, $".{System.IO.Path.GetFileName(Path)}.spool-");

    /// <summary>DuckDB's memory cap while importing; enough for the appender and a few row groups.</summary>
    private const string ImportMemoryLimit = "256MB";

    private ImportOutcome ImportInOneTransaction(
        IReadOnlyList<ImportSource> sources,
        Dictionary<string, ImportRecord> known,
        HashSet<long?> knownSizes,
        int nextId,
        DateTimeOffset importedAt,
        bool bulk)
    {
        var outcomes = new List<FileImportOutcome>();
        var seenThisRun = new Dictionary<string, string>(StringComparer.Ordinal);
        var anyInvalid = false;
        long rowsImported = 0, eventsImported = 0;
        using var transaction = Connection.BeginTransaction();
        // Sizes of the ledger's imports and of this run's files so far; NULL: some size is not known.
        var sizes = new HashSet<long?>(knownSizes);
        var hashLater = new List<ImportSource>();
        foreach (var source in sources)
        {
            // A size that no earlier import and no earlier file of this run has is content the ledger cannot have
            // yet: the file is loaded while its hash is still being computed (the hash is then only needed for the
            // provenance). Any other file waits for its hash first, so identical content is skipped without being read.
            var surelyNew = !source.Hash.IsCompleted && source.Size is { } size && !sizes.Contains(null) && sizes.Add(size);
            if (surelyNew)
            {
                hashLater.Add(source);
            }
            else
            {
                sizes.Add(source.Size);
                if (known.TryGetValue(source.Sha256, out var previous))
                {
                    outcomes.Add(new FileImportOutcome(source, ImportStatus.AlreadyImported, null, previous.ImportId, previous.SourcePath));
                    continue;
                }
                // Earlier files of this run may have been loaded before their hashes were known: from here on they
                // count as seen, so a later copy of one is skipped.
                foreach (var earlier in hashLater)
                {
                    seenThisRun.TryAdd(earlier.Sha256, earlier.Path);
                }
                hashLater.Clear();
                if (seenThisRun.TryGetValue(source.Sha256, out var samePath))
                {
                    outcomes.Add(new FileImportOutcome(source, ImportStatus.AlreadyImported, null, null, samePath));
                    continue;
                }
                seenThisRun[source.Sha256] = source.Path;
            }
            var importId = nextId++;
            if (bulk && !anyInvalid && TryBulkLoad(source, importId, out var loaded))
            {
                InsertProvenance(importId, source, loaded.ValidRows, importedAt);
                rowsImported += loaded.ValidRows;
                eventsImported += source.Reader is null ? 0 : loaded.ValidRows;
                outcomes.Add(new FileImportOutcome(source, ImportStatus.Imported, loaded, null, null));
                continue;
            }
            TraceFileResult result;
            long eventsThisFile = 0;
            var spooling = source.Reader is not null && bulk && SpoolEvents;
            using var spool = source.Reader is null ? null
                : new EventSpool(new EventAppender(Connection.CreateAppender("request_events"), importId), importId, spooling ? RunSpoolLoad : null, SpoolPrefix, SpoolSegmentEvents);
            if (spooling)
            {
                // Events need no file order (every figure made from them is order-free and they are never exported);
                // letting DuckDB store them in any order spares it re-ordering its parallel reader's output. The
                // segments load while the file is parsed, and the parser keeps a core busy: DuckDB gets the others
                // (more threads only fight the parser for its core: on two cores, a 10M-event import took 35% more CPU).
                Execute("SET preserve_insertion_order = false");
                Execute($"SET threads = {Math.Max(1, Environment.ProcessorCount - 1)}");
            }
            using (var appender = Connection.CreateAppender("trace_rows"))
            using (var pipeline = new AppendPipeline(new AppenderRowWriter(appender, importId), spool))
            {
                using var stream = source.Open();
                // Once any file is invalid the rest are still read for their errors, but not appended.
                void OnRow(TraceRow row, long line)
                {
                    if (!anyInvalid)
                    {
                        pipeline.Add(row, line);
                    }
                }
                result = source.Reader is null
                    ? TraceReader.Read(stream, source.Path, source.Format, OnRow)
                    : source.Reader(stream, source.Path, (e, line) =>
                    {
                        eventsThisFile++;
                        if (!anyInvalid)
                        {
                            pipeline.Add(e, line);
                        }
                    }, OnRow);
                pipeline.Complete();
            }
            if (result.IsValid && !anyInvalid)
            {
                spool?.Finish();
            }
            else
            {
                // Nothing of this import will be kept: wait for a load under way and drop the rest.
                spool?.Dispose();
            }
            if (spooling)
            {
                Execute("RESET preserve_insertion_order");
                Execute("RESET threads");
                SpooledEvents += spool!.Loaded;
            }
            if (!result.IsValid)
            {
                anyInvalid = true;
                outcomes.Add(new FileImportOutcome(source, ImportStatus.Invalid, result, null, null));
                continue;
            }
            InsertProvenance(importId, source, result.ValidRows, importedAt);
            rowsImported += result.ValidRows;
            eventsImported += eventsThisFile;
            outcomes.Add(new FileImportOutcome(source, ImportStatus.Imported, result, null, null));
        }
        if (anyInvalid)
        {
            transaction.Rollback();
            var rolledBack = outcomes.Select(o => o.Status == ImportStatus.Imported ? o with { Status = ImportStatus.RolledBack } : o).ToList();
            return new ImportOutcome(rolledBack, 0);
        }
        transaction.Commit();
        return new ImportOutcome(outcomes, rowsImported) { EventsImported = eventsImported };
    }

    private Dictionary<string, ImportRecord> KnownImports() =>
        Imports().GroupBy(i => i.Sha256).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    /// <summary>The sizes of the ledger's imports; NULL stands for imports made before sizes were kept (any size).</summary>
    private HashSet<long?> KnownSizes()
    {
        using var command = Connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT sizeBytes FROM imports";
        using var reader = command.ExecuteReader();
        var sizes = new HashSet<long?>();
        while (reader.Read())
        {
            sizes.Add(reader.IsDBNull(0) ? null : reader.GetInt64(0));
        }
        return sizes;
    }

    private int NextImportId()
    {
        using var command = Connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(importId), 0) + 1 FROM imports";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private void InsertProvenance(int importId, ImportSource source, long rows, DateTimeOffset importedAt)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = "INSERT INTO imports (importId, sourcePath, sha256, format, rowCount, importedAt, sizeBytes) VALUES ($id, $path, $sha, $format, $rows, $at, $size)";
        command.Parameters.Add(new DuckDBParameter("id", importId));
        command.Parameters.Add(new DuckDBParameter("path", source.Path));
        command.Parameters.Add(new DuckDBParameter("sha", source.Sha256));
        command.Parameters.Add(new DuckDBParameter("format", source.FormatName ?? TraceFormats.Name(source.Format)));
        command.Parameters.Add(new DuckDBParameter("rows", rows));
        command.Parameters.Add(new DuckDBParameter("at", importedAt.UtcDateTime));
        command.Parameters.Add(new DuckDBParameter("size", source.Size is { } size ? size : DBNull.Value));
        command.ExecuteNonQuery();
    }

    /// <summary>Every import, oldest first.</summary>
    public IReadOnlyList<ImportRecord> Imports()
    {
        using var command = Connection.CreateCommand();
        command.CommandText = "SELECT importId, sourcePath, sha256, format, rowCount, importedAt FROM imports ORDER BY importId";
        using var reader = command.ExecuteReader();
        var list = new List<ImportRecord>();
        while (reader.Read())
        {
            var at = reader.GetValue(5) switch
            {
                DateTimeOffset o => o,
                DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
                var other => DateTimeOffset.Parse(Convert.ToString(other, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture),
            };
            list.Add(new ImportRecord(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), at.ToUniversalTime()));
        }
        return list;
    }

    /// <summary>Appends one request event to the appender in <c>request_events</c> column order.</summary>
    internal sealed class EventAppender(DuckDBAppender appender, int importId) : IDisposable
    {
        private bool _closed;

        public void Dispose()
        {
            if (!_closed)
            {
                _closed = true;
                appender.Dispose();
            }
        }

        public void Append(RequestEvent e, long line)
        {
            appender.CreateRow()
                .AppendValue(importId)
                .AppendValue(line)
                .AppendValue(e.RequestId)
                .AppendValue(e.StartedAt)
                .AppendValue(e.LatencyMs)
                .AppendValue(e.Route)
                .AppendValue(e.Provider)
                .AppendValue(e.Model)
                .AppendValue(e.Workload)
                .AppendValue(e.InputTokens)
                .AppendValue(e.CachedInputTokens)
                .AppendValue(e.CacheWriteTokens)
                .AppendValue(e.OutputTokens)
                .AppendValue(e.ReasoningTokens)
                .AppendValue(e.TtftMs)
                .AppendValue(e.Status.ToWire())
                .AppendValue(e.Attempt)
                .AppendValue(e.Accepted)
                .AppendValue(e.ReviewMinutes)
                .AppendValue(e.CostUsd)
                .AppendValue(e.Batch)
                .AppendValue(e.Concurrency)
                .AppendValue(e.RunId)
                .EndRow();
        }
    }
    /// <summary>Every import as report provenance (path, format, SHA-256, rows), oldest first.</summary>
    public IReadOnlyList<InferCost.Core.Reporting.ReportInput> Provenance() =>
        Imports().Select(i => new InferCost.Core.Reporting.ReportInput(i.SourcePath, i.Format, i.Sha256, i.RowCount)).ToList();

    /// <summary>Appends one contract row to the appender in <see cref="TraceContract.Fields"/> order.</summary>
    internal sealed class AppenderRowWriter(DuckDBAppender appender, int importId)
    {
        public void Append(TraceRow r, long line)
        {
            appender.CreateRow()
                .AppendValue(importId)
                .AppendValue(line)
                .AppendValue(r.Route)
                .AppendValue(r.Provider)
                .AppendValue(r.Model)
                .AppendValue(r.Workload)
                .AppendValue(r.InputTokens)
                .AppendValue(r.OutputTokens)
                .AppendValue(r.CacheHitRate)
                .AppendValue(r.BatchEligible)
                .AppendValue(r.Concurrency)
                .AppendValue(r.TtftMs)
                .AppendValue(r.LatencyP50Ms)
                .AppendValue(r.LatencyP95Ms)
                .AppendValue(r.OutputTokensPerSecond)
                .AppendValue(r.AcceptedOutputRate)
                .AppendValue(r.CostUsd)
                .AppendValue(r.ReviewMinutes)
                .AppendValue(r.Requests)
                .AppendValue(r.LatencyP99Ms)
                .AppendValue(r.RetryRate)
                .AppendValue(r.TimeoutRate)
                .AppendValue(r.ErrorRate)
                .AppendValue(r.Utilization)
                .AppendValue(r.FallbackRoute)
                .AppendValue(r.FallbackShare)
                .AppendValue(r.CachedInputTokens)
                .AppendValue(r.CacheWriteTokens)
                .AppendValue(r.ReasoningTokens)
                .AppendValue(r.GpuType)
                .AppendValue(r.GpuCount)
                .AppendValue(r.GpuHourUsd)
                .AppendValue(r.MeasuredAt)
                .AppendValue(r.WindowSeconds)
                .AppendValue(r.TargetP95Ms)
                .AppendValue(r.Notes)
                .EndRow();
        }
    }
}
