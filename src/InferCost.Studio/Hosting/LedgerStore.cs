using System.Collections.Concurrent;
using InferCost.Core.Metrics;
using InferCost.Core.Reporting;
using InferCost.Ledger;

namespace InferCost.Studio.Hosting;

/// <summary>What the ledger held at one moment: its imports, counts and (lazily) group sums and anything derived
/// from them. Immutable apart from the memo, which only ever adds values computed from this snapshot.</summary>
public sealed class LedgerSnapshot(string importKey, IReadOnlyList<ReportInput> inputs, LedgerSummary summary, long eventCount = 0)
{
    private readonly ConcurrentDictionary<string, Lazy<object>> _memo = new(StringComparer.Ordinal);

    /// <summary>Identifies the ledger's content: every import's id and SHA-256, in order.</summary>
    public string ImportKey { get; } = importKey;
    public IReadOnlyList<ReportInput> Inputs { get; } = inputs;
    public LedgerSummary Summary { get; } = summary;
    /// <summary>Request events (imported from event or importer formats), besides the contract rows of <see cref="Summary"/>.</summary>
    public long EventCount { get; } = eventCount;
    public bool IsEmpty => Summary.TotalRows == 0 && EventCount == 0;

    /// <summary>Computes a value once per snapshot (thread-safe: concurrent callers share one computation).</summary>
    public T Memo<T>(string key, Func<T> compute) where T : class =>
        (T)_memo.GetOrAdd(key, _ => new Lazy<object>(() => compute(), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
}

/// <summary>
/// The one way Studio touches the ledger. DuckDB connections are not thread-safe and the file may be imported into
/// by the CLI while Studio runs, so every access opens the file, works, and closes it, one at a time. Aggregates are
/// cached per snapshot keyed by the ledger's import list, so repeated requests on a 1M-row ledger do not re-aggregate;
/// a cheap file stamp (size and write time of the file and its WAL) decides when to re-read the import list at all.
/// Thread-safe.
/// </summary>
public sealed class LedgerStore(StudioSettings settings, TimeProvider clock)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    // The snapshot and the file stamp it was read at, swapped as one reference so readers never see a mismatched pair.
    private sealed record State(LedgerSnapshot Snapshot, string Stamp);
    private volatile State? _state;

    public string Path => settings.LedgerPath;

    /// <summary>The current snapshot; an empty one when no ledger file exists yet.</summary>
    /// <exception cref="LedgerException">The file exists but is locked, foreign or from a newer release.</exception>
    public LedgerSnapshot Current()
    {
        if (_state is { } cached && cached.Stamp == Stamp())
        {
            return cached.Snapshot;
        }
        _gate.Wait();
        try
        {
            var stamp = Stamp();
            var previous = _state;
            if (previous is not null && previous.Stamp == stamp)
            {
                return previous.Snapshot;
            }
            if (!File.Exists(settings.LedgerPath))
            {
                _state = new State(Empty(), stamp);
                return _state.Snapshot;
            }
            using var ledger = TraceLedger.Open(settings.LedgerPath, clock, readOnly: true);
            var imports = ledger.Imports();
            var key = string.Join(",", imports.Select(i => $"{i.ImportId}:{i.Sha256}"));
            var snapshot = previous is not null && previous.Snapshot.ImportKey == key && File.Exists(settings.LedgerPath)
                ? previous.Snapshot
                : new LedgerSnapshot(key, ledger.Provenance(), ledger.Summary(), ledger.EventCount());
            _state = new State(snapshot, stamp);
            return snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Group sums for <paramref name="groupBy"/>, computed in SQL once per snapshot.</summary>
    public IReadOnlyList<GroupAggregate> Aggregates(LedgerSnapshot snapshot, IReadOnlyList<GroupDimension> groupBy) =>
        snapshot.Memo("aggregates:" + string.Join(",", groupBy), () => snapshot.IsEmpty ? [] : WithLedger(l => l.AggregateRowsAndEvents(groupBy)));

    /// <summary>Imports in one transaction (all files or none) and drops the cached snapshot.</summary>
    public ImportOutcome Import(IReadOnlyList<ImportSource> sources)
    {
        _gate.Wait();
        try
        {
            var directory = System.IO.Path.GetDirectoryName(settings.LedgerPath);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
            using var ledger = TraceLedger.Open(settings.LedgerPath, clock, readOnly: false);
            var outcome = ledger.Import(sources);
            _state = null;
            return outcome;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs a read against the open ledger under the gate. For features whose sums are not yet cached.</summary>
    public T WithLedger<T>(Func<TraceLedger, T> read)
    {
        _gate.Wait();
        try
        {
            using var ledger = TraceLedger.Open(settings.LedgerPath, clock, readOnly: true);
            return read(ledger);
        }
        finally
        {
            _gate.Release();
        }
    }

    private LedgerSnapshot Empty() =>
        new(string.Empty, [], new LedgerSummary(settings.LedgerPath, 0, [], [], 0));

    private string Stamp()
    {
        static string Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? $"{info.Length}@{info.LastWriteTimeUtc.Ticks}" : "-";
        }
        return Of(settings.LedgerPath) + "|" + Of(settings.LedgerPath + ".wal");
    }
}
