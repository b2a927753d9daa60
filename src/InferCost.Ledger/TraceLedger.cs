using System.Globalization;
using DuckDB.NET.Data;
using InferCost.Core.Contract;
using InferCost.Core.Reading;

namespace InferCost.Ledger;

/// <summary>
/// The embedded DuckDB ledger: one file holding contract rows and the provenance of every import.
/// Imports are one transaction (all files or none) and idempotent by content hash. One instance per
/// connection; not thread-safe.
/// </summary>
public sealed partial class TraceLedger : IDisposable
{
    private readonly DuckDBConnection _connection;
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

    private TraceLedger(string path, DuckDBConnection connection, TimeProvider clock)
    {
        Path = path;
        _connection = connection;
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

    /// <summary>Opens (creating when absent, unless <paramref name="readOnly"/>) the ledger at <paramref name="path"/>.</summary>
    /// <exception cref="LedgerException">The file is not a DuckDB database, is locked, is from a newer release, or is absent in read-only mode.</exception>
    public static TraceLedger Open(string path, TimeProvider? clock = null, bool readOnly = false)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (readOnly && !File.Exists(full))
        {
            throw new LedgerException($"No ledger at {path}: import traces first (infercost import FILE) or point --ledger at an existing ledger.");
        }
        if (Directory.Exists(full))
        {
            throw new LedgerException($"The ledger path {path} is a directory, not a DuckDB file.");
        }
        var connection = new DuckDBConnection($"Data Source={full}{(readOnly ? ";ACCESS_MODE=READ_ONLY" : string.Empty)}");
        try
        {
            connection.Open();
        }
        catch (Exception ex) when (ex is DuckDBException or InvalidOperationException)
        {
            connection.Dispose();
            throw Translate(path, ex);
        }
        var ledger = new TraceLedger(path, connection, clock ?? TimeProvider.System);
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

    private static LedgerException Translate(string path, Exception ex)
    {
        var message = ex.Message;
        if (message.Contains("lock", StringComparison.OrdinalIgnoreCase))
        {
            return new LedgerException($"The ledger {path} is locked by another process; wait for it to finish or close it, then retry.", ex);
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
        using var transaction = _connection.BeginTransaction();
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
        HasEventsTable = true;
    }

    /// <summary>False only for a version-1 ledger opened read-only (not migrated yet).</summary>
    internal bool HasEventsTable { get; private set; }

    /// <summary>The schema version stored in the ledger.</summary>
    public int SchemaVersion => ReadSchemaVersion() ?? 0;

    private int? ReadSchemaVersion()
    {
        using var command = _connection.CreateCommand();
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
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? string.Empty;
    }

    /// <summary>Every row of a query, each value as DuckDB.NET returns it (DBNull for NULL).</summary>
    internal List<object[]> Query(string sql)
    {
        using var command = _connection.CreateCommand();
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
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    internal DuckDBConnection Connection => _connection;

    public void Dispose() => _connection.Dispose();
}
