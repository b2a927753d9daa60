using System.Globalization;
using DuckDB.NET.Data;
using InferCost.Core.Contract;
using InferCost.Core.Reading;

namespace InferCost.Ledger;

/// <summary>
/// The embedded DuckDB ledger: one file holding contract rows and the provenance of every import.
/// Imports are one transaction (all files or none) and idempotent by content hash. A writable ledger writes a copy
/// beside the file and publishes it by renaming it over the file after each committed write (<see cref="WriteCopy"/>),
/// so readers in other processes are never locked out. One instance per connection; not thread-safe.
/// </summary>
public sealed partial class TraceLedger : IDisposable
{
    private DuckDBConnection? _db;
    private readonly WriteCopy? _writeCopy;
    private readonly TimeProvider _clock;

    public string Path { get; }

    /// <summary>Whether record-by-record events go through <see cref="EventSpool"/>'s file (true) or the appender
    /// only; off only in tests, which compare the two.</summary>
    internal bool SpoolEvents { get; set; } = true;

    /// <summary>Events per spool segment: DuckDB loads one while the next is written. Small in tests, so an import
    /// crosses many segments.</summary>
    internal int SpoolSegmentEvents { get; set; } = 250_000;

    /// <summary>Events loaded through the spool file so far (for tests).</summary>
    internal long SpooledEvents { get; private set; }

    private TraceLedger(string path, DuckDBConnection? connection, WriteCopy? writeCopy, TimeProvider clock)
    {
        Path = path;
        _db = connection;
        _writeCopy = writeCopy;
        _clock = clock;
    }

    /// <summary>Loads DuckDB's native library and starts an engine in memory, then closes it: a caller that has other
    /// work first (hashing its inputs) runs this beside it, so the later <see cref="Open"/> starts sooner. Writes nothing;
    /// a failure here is left for <see cref="Open"/> to report.</summary>
    public static void Warm()
    {
        try
        {
            using var connection = new DuckDBConnection("Data Source=:memory:");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            command.ExecuteScalar();
        }
        catch (Exception ex) when (ex is DuckDBException or InvalidOperationException or DllNotFoundException or TypeInitializationException)
        {
        }
    }

    /// <summary>Opens (creating when absent, unless <paramref name="readOnly"/>) the ledger at <paramref name="path"/>.
    /// Read-only, it reads the file as last published, whether or not another process is writing. Writable, it takes
    /// the writers' lock and works on a copy, published after each committed write.</summary>
    /// <exception cref="LedgerException">The file is not a DuckDB database, is damaged, is being written by another
    /// process (writable only), is from a newer release, is absent in read-only mode, or its folder cannot be written.</exception>
    public static TraceLedger Open(string path, TimeProvider? clock = null, bool readOnly = false)
    {
        if (path == ":memory:")
        {
            return Start(path, OpenConnection(path, path, readOnly: false), null, clock, readOnly: false);
        }
        var full = System.IO.Path.GetFullPath(path);
        if (readOnly && !File.Exists(full))
        {
            throw new LedgerException($"No ledger at {path}: import traces first (infercost import FILE) or point --ledger at an existing ledger.");
        }
        if (Directory.Exists(full))
        {
            throw new LedgerException($"The ledger path {path} is a directory, not a DuckDB file.");
        }
        if (readOnly)
        {
            return Start(path, OpenConnection(full, path, readOnly: true), null, clock, readOnly: true);
        }
        // The schema is read (and a new or older ledger's tables created) in the copy, published with the first write.
        return Start(path, null, WriteCopy.Acquire(full, path), clock, readOnly: false);
    }

    private static TraceLedger Start(string path, DuckDBConnection? connection, WriteCopy? writeCopy, TimeProvider? clock, bool readOnly)
    {
        var ledger = new TraceLedger(path, connection, writeCopy, clock ?? TimeProvider.System);
        try
        {
            ledger.EnsureSchema(readOnly);
        }
        catch
        {
            ledger.Dispose();
            throw;
        }
        return ledger;
    }

    private static DuckDBConnection OpenConnection(string file, string display, bool readOnly)
    {
        var connection = new DuckDBConnection($"Data Source={file}{(readOnly ? ";ACCESS_MODE=READ_ONLY" : string.Empty)}");
        try
        {
            connection.Open();
            return connection;
        }
        catch (Exception ex) when (ex is DuckDBException or InvalidOperationException)
        {
            connection.Dispose();
            throw Translate(display, ex);
        }
    }

    /// <summary>The connection, for a writable ledger on a fresh copy of the published file once the last one was
    /// published (or on first use).</summary>
    internal DuckDBConnection Connection => _db ??= OpenConnection(_writeCopy!.Begin(), Path, readOnly: false);

    /// <summary>After a committed write: checkpoints and closes the copy, and renames it over the ledger. Nothing for
    /// an in-memory or read-only ledger.</summary>
    /// <exception cref="LedgerException">The copy could not replace the ledger, which is then unchanged.</exception>
    private void Publish()
    {
        if (_writeCopy is null || _db is null || !_unpublished)
        {
            return;
        }
        try
        {
            Execute("CHECKPOINT");
        }
        catch (DuckDBException ex)
        {
            throw WriteFailed(ex);
        }
        finally
        {
            _db.Dispose();
            _db = null;
        }
        _writeCopy.Publish();
        _unpublished = false;
    }

    /// <summary>Whether the copy holds committed changes not yet published (set after each commit that changed
    /// something: a created or migrated schema, an import, judgements).</summary>
    private bool _unpublished;

    /// <summary>A storage failure in the middle of a write, as one sentence: the write is not published.</summary>
    internal LedgerException WriteFailed(Exception ex)
    {
        var message = ex.Message;
        string reason;
        if (message.Contains("No space left", StringComparison.OrdinalIgnoreCase) || message.Contains("disk is full", StringComparison.OrdinalIgnoreCase))
        {
            reason = "the disk is full";
        }
        else if (message.Contains("Permission denied", StringComparison.OrdinalIgnoreCase))
        {
            reason = "permission was denied writing beside the ledger";
        }
        else if (message.Contains("memory", StringComparison.OrdinalIgnoreCase))
        {
            reason = "DuckDB ran out of memory";
        }
        else
        {
            reason = $"DuckDB failed: {FirstLine(message).TrimEnd('.')}";
        }
        return new LedgerException($"Nothing was imported: {reason}; the ledger {Path} is unchanged.", ex);
    }

    /// <summary>One sentence per way DuckDB can refuse to open a ledger. Matched on DuckDB's own wording, narrowly:
    /// "block" in a checksum error once made a damaged file read as a locked one.</summary>
    private static LedgerException Translate(string path, Exception ex)
    {
        var message = ex.Message;
        if (message.Contains("Could not set lock", StringComparison.OrdinalIgnoreCase) || message.Contains("Conflicting lock", StringComparison.OrdinalIgnoreCase))
        {
            // Only a program that writes the file in place holds it so: the DuckDB CLI, or an infercost from before writes went through a copy.
            return new LedgerException($"The ledger {path} is locked by another process; wait for it to finish or close it, then retry.", ex);
        }
        if (message.Contains("checksum", StringComparison.OrdinalIgnoreCase) || message.Contains("Corrupt", StringComparison.OrdinalIgnoreCase))
        {
            return new LedgerException($"The ledger {path} is damaged (DuckDB found a checksum mismatch: the file was changed outside DuckDB, or the disk failed); restore it from a backup or import into a new ledger.", ex);
        }
        if (message.Contains("Permission denied", StringComparison.OrdinalIgnoreCase))
        {
            return new LedgerException($"The ledger {path} cannot be read: permission denied.", ex);
        }
        if (message.Contains("not a valid DuckDB", StringComparison.OrdinalIgnoreCase) ||
            message.Contains("database file", StringComparison.OrdinalIgnoreCase) ||
            message.Contains("Serialization", StringComparison.OrdinalIgnoreCase))
        {
            return new LedgerException($"The ledger {path} is not a DuckDB database file; give --ledger a new path or an InferCost ledger.", ex);
        }
        return new LedgerException($"The ledger {path} cannot be opened: {FirstLine(message)}", ex);
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return (end < 0 ? message : message[..end]).TrimEnd('.') + ".";
    }

    private void EnsureSchema(bool readOnly)
    {
        var version = ReadSchemaVersion();
        if (version > LedgerSchema.Version)
        {
            throw new LedgerException($"The ledger {Path} has schema version {version}, newer than this infercost understands ({LedgerSchema.Version}); upgrade infercost.");
        }
        if (version == LedgerSchema.Version || readOnly)
        {
            if (version is null && readOnly)
            {
                throw new LedgerException($"The ledger {Path} is a DuckDB file but not an InferCost ledger (no ledger_meta table).");
            }
            // A version-1 ledger opened read-only keeps working: it simply has no events yet.
            HasEventsTable = version >= 2;
            return;
        }
        // Version 1 → 2 adds request_events, 2 → 3 lets sourceLine be NULL; every create statement is CREATE … IF NOT EXISTS, so a new ledger and a
        // migrated one end up with the same tables, in one transaction.
        using var transaction = Connection.BeginTransaction();
        foreach (var statement in LedgerSchema.CreateStatements())
        {
            Execute(statement);
        }
        if (version is not null)
        {
            foreach (var statement in LedgerSchema.MigrationStatements())
            {
                Execute(statement);
            }
        }
        Execute($"INSERT INTO ledger_meta VALUES ('schemaVersion', '{LedgerSchema.Version}') ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        transaction.Commit();
        _unpublished = true;
        HasEventsTable = true;
    }

    /// <summary>False only for a version-1 ledger opened read-only (not migrated yet).</summary>
    internal bool HasEventsTable { get; private set; }

    /// <summary>The schema version stored in the ledger.</summary>
    public int SchemaVersion => ReadSchemaVersion() ?? 0;

    private int? ReadSchemaVersion()
    {
        using var command = Connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM information_schema.tables WHERE table_name = 'ledger_meta'";
        if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            return null;
        }
        command.CommandText = "SELECT value FROM ledger_meta WHERE key = 'schemaVersion'";
        return command.ExecuteScalar() is string text ? int.Parse(text, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>The first value of a query's first row, as invariant text.</summary>
    internal string Scalar(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? string.Empty;
    }

    /// <summary>Every row of a query, each value as DuckDB.NET returns it (DBNull for NULL).</summary>
    internal List<object[]> Query(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }

    internal void Execute(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _db?.Dispose();
        _db = null;
        _writeCopy?.Dispose();
    }
}
