using InferCost.Core.Diagnostics;
using InferCost.Core.Reading;
using InferCost.Ledger.Bulk;

namespace InferCost.Ledger;

public sealed partial class TraceLedger
{
    /// <summary>
    /// Loads a plain CSV file of contract rows or events with DuckDB's own parallel reader, checking every rule in
    /// SQL, inside the import's transaction. It succeeds only when every record passed (DuckDB inserted exactly as
    /// many rows as the file has records); otherwise it removes what it inserted and returns false, and the caller
    /// reads the file record by record, which accepts it or reports each problem with its line and column.
    /// </summary>
    private const int MaxBulkColumns = 1_000;

    private bool TryBulkLoad(ImportSource source, int importId, out TraceFileResult result)
    {
        result = null!;
        var content = source.Reader is null ? BulkContent.ContractRows : source.Bulk;
        // DuckDB would read glob characters in a path as a pattern, so such paths go record by record.
        if (content == BulkContent.None || source.Format != TraceFormat.Csv || source.LocalPath is not { } path ||
            path.IndexOfAny(['*', '?', '[', '{']) >= 0 || (content == BulkContent.Events && !HasEventsTable))
        {
            return false;
        }
        CsvShape? head;
        using (var stream = source.Open())
        {
            head = CsvShapeScan.Head(stream);
        }
        if (head is null)
        {
            return false;
        }
        var diagnostics = new DiagnosticBag();
        var columns = content == BulkContent.Events ? CsvHeaders.Events(head.HeaderLine, diagnostics) : CsvHeaders.Contract(head.HeaderLine, diagnostics);
        // DuckDB's reader slows down with the square of the width (100,000 columns: two minutes for a few lines); the
        // record-by-record reader takes such a file in seconds, with its warnings. No real trace has this many columns.
        if (columns.Broken || diagnostics.HasErrors || columns.Width > MaxBulkColumns)
        {
            return false;
        }
        var (table, sql) = content == BulkContent.Events
            ? ("request_events", EventBulkSql.Build(columns, System.IO.Path.GetFullPath(path), head.CrLf, importId))
            : ("trace_rows", ContractBulkSql.Build(columns, System.IO.Path.GetFullPath(path), head.CrLf, importId));
        long inserted;
        // Timestamps without an offset are UTC, as the binders read them, whatever the machine's time zone. Events
        // need no file order (every figure made from them is order-free and they are never exported), and letting
        // DuckDB store them in any order spares it re-ordering the parallel reader's output.
        var restore = new List<string> { $"SET TimeZone = {BulkSql.Literal(Scalar("SELECT current_setting('TimeZone')"))}" };
        Execute("SET TimeZone = 'UTC'");
        if (content == BulkContent.Events)
        {
            restore.Add("RESET preserve_insertion_order");
            Execute("SET preserve_insertion_order = false");
        }
        // The whole-file shape check runs beside DuckDB's load (it reads the file once more, on another core); a file
        // whose head looked plain but whose rest does not is taken out again afterwards. Its own thread, not the
        // pool's: this thread blocks on it, and a busy pool (Studio serving requests) would make it wait its turn.
        var scan = Task.Factory.StartNew(() =>
        {
            using var stream = source.Open();
            return CsvShapeScan.Scan(stream);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            using var command = Connection.CreateCommand();
            command.CommandText = sql;
            inserted = command.ExecuteNonQuery();
        }
        catch (DuckDB.NET.Data.DuckDBException ex)
        {
            // The scan's own verdict no longer matters (the import starts again record by record), only that it is done.
            ((IAsyncResult)scan).AsyncWaitHandle.WaitOne();
            // The transaction is aborted now; the caller rolls it back, then restores the settings.
            throw new BulkLoadException(ex, restore);
        }
        restore.ForEach(Execute);
        var shape = scan.GetAwaiter().GetResult();
        if (shape is null || shape.HeaderLine != head.HeaderLine || shape.CrLf != head.CrLf || inserted != shape.Records)
        {
            if (inserted > 0)
            {
                Execute($"DELETE FROM {table} WHERE importId = {importId}");
            }
            return false;
        }
        result = new TraceFileResult(source.Path, TraceFormat.Csv, shape.Records, inserted, diagnostics);
        return true;
    }
}

/// <summary>DuckDB refused a bulk statement; the import starts again without the bulk path.</summary>
internal sealed class BulkLoadException(DuckDB.NET.Data.DuckDBException inner, IReadOnlyList<string> restore) : Exception(inner.Message, inner)
{
    /// <summary>Statements that put back the session settings the bulk statement changed.</summary>
    public IReadOnlyList<string> Restore => restore;
}
