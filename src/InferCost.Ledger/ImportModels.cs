using InferCost.Core.Contract;
using InferCost.Core.Events;
using InferCost.Core.Reading;

namespace InferCost.Ledger;

/// <summary>One file to import: its name for messages and provenance, the SHA-256 of its content (possibly still
/// being computed), and a way to open it.</summary>
public sealed record ImportSource(string Path, Task<string> Hash, TraceFormat Format, Func<Stream> Open)
{
    public ImportSource(string path, string sha256, TraceFormat format, Func<Stream> open)
        : this(path, Task.FromResult(sha256), format, open)
    {
    }

    /// <summary>The content's SHA-256 (lower-case hex); waits for it when it is still being computed.</summary>
    public string Sha256 => Hash.GetAwaiter().GetResult();

    /// <summary>The content's size in bytes, when known. With a <see cref="Hash"/> still under way, a size that no
    /// earlier import has lets the ledger load the file without waiting for the hash (the content cannot be known).</summary>
    public long? Size { get; init; }

    /// <summary>How the content becomes events and/or contract rows; null reads it as contract rows.</summary>
    public SourceReader? Reader { get; init; }

    /// <summary>The format name recorded in the provenance (default: csv, json or jsonl).</summary>
    public string? FormatName { get; init; }

    /// <summary>The file on disk, when there is one: a CSV of contract rows or events there may be loaded by
    /// DuckDB's own reader (see <see cref="Bulk.CsvShapeScan"/>) instead of record by record.</summary>
    public string? LocalPath { get; init; }

    /// <summary>For a source read through <see cref="Reader"/>: the ledger table its plain CSV fills when DuckDB
    /// loads it directly (request events, set by <see cref="ImportSourceFormats.WithFormat"/>), or none. A source
    /// without a reader is contract rows.</summary>
    public BulkContent Bulk { get; init; }
}

/// <summary>Which ledger table a plain CSV source fills, if DuckDB's reader may load it directly.</summary>
public enum BulkContent
{
    None,
    ContractRows,
    Events,
}

/// <summary>Reads one source, handing each valid event and each valid contract row on with its line.</summary>
public delegate TraceFileResult SourceReader(Stream content, string path, Action<RequestEvent, long> onEvent, Action<TraceRow, long> onRow);

public enum ImportStatus
{
    /// <summary>The rows are in the ledger.</summary>
    Imported,
    /// <summary>Identical content was imported before; nothing was added.</summary>
    AlreadyImported,
    /// <summary>The file broke the contract; nothing from this invocation was imported.</summary>
    Invalid,
    /// <summary>The file was valid, but another file of the same invocation was not, so nothing was imported.</summary>
    RolledBack,
}

/// <summary>What happened to one file.</summary>
/// <param name="PreviousImportId">For <see cref="ImportStatus.AlreadyImported"/>: the import that holds this content.</param>
public sealed record FileImportOutcome(ImportSource Source, ImportStatus Status, TraceFileResult? Result, int? PreviousImportId, string? PreviousPath);

/// <summary>What an import invocation did. It is one transaction: all files or none.</summary>
public sealed record ImportOutcome(IReadOnlyList<FileImportOutcome> Files, long RowsImported)
{
    /// <summary>Request events added (counted inside <see cref="RowsImported"/>).</summary>
    public long EventsImported { get; init; }

    public bool Committed => Files.All(f => f.Status is ImportStatus.Imported or ImportStatus.AlreadyImported);
    public bool NothingNew => Committed && Files.All(f => f.Status == ImportStatus.AlreadyImported);
}

/// <summary>One provenance record.</summary>
public sealed record ImportRecord(int ImportId, string SourcePath, string Sha256, string Format, long RowCount, DateTimeOffset ImportedAt);

/// <summary>Rows per route and workload.</summary>
public sealed record RouteWorkloadCount(string Route, string Workload, long Rows, long Requests);

/// <summary>What <c>ledger info</c> shows.</summary>
public sealed record LedgerSummary(string Path, int SchemaVersion, IReadOnlyList<ImportRecord> Imports, IReadOnlyList<RouteWorkloadCount> Counts, long TotalRows);

/// <summary>What <c>infercost accept</c> did: judgements that matched, event rows updated, ids that matched nothing.</summary>
public sealed record AcceptOutcome(long Matched, long EventsUpdated, IReadOnlyList<string> Unmatched);
