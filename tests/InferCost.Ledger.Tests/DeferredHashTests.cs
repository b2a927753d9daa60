using System.Globalization;
using System.Security.Cryptography;
using InferCost.Core.Reading;

namespace InferCost.Ledger.Tests;

/// <summary>
/// A file whose SHA-256 is still being computed is loaded at once when its size matches no earlier import (and no
/// earlier file of the same run): such content cannot be in the ledger. A file of a size seen before waits for its
/// hash, so identical content is still imported once, and never read.
/// </summary>
public sealed class DeferredHashTests
{
    private static readonly byte[] Content = File.ReadAllBytes(LedgerTestKit.Fixture("contract/template.csv"));
    private static readonly string Sha = Convert.ToHexStringLower(SHA256.HashData(Content));

    /// <summary>A source whose hash completes only when <paramref name="completeHash"/> says so; records whether it was opened.</summary>
    private sealed class Source(string name, Func<TaskCompletionSource<string>, Task> completeHash)
    {
        private readonly TaskCompletionSource<string> _hash = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Opened { get; private set; }

        /// <summary>Whether the first open came before the hash was known.</summary>
        public bool OpenedBeforeHash { get; private set; }

        public ImportSource Build()
        {
            _ = completeHash(_hash);
            return new ImportSource(name, _hash.Task, TraceFormat.Csv, () =>
            {
                OpenedBeforeHash |= !Opened && !_hash.Task.IsCompleted;
                Opened = true;
                return new MemoryStream(Content);
            }) { Size = Content.Length };
        }
    }

    private static Func<TaskCompletionSource<string>, Task> After(int milliseconds) =>
        async hash => { await Task.Delay(milliseconds); hash.TrySetResult(Sha); };

    [Fact]
    public void A_file_of_a_new_size_is_loaded_before_its_hash_is_known()
    {
        using var ledger = TraceLedger.InMemory();
        // The hash arrives after 3 s: long after the import would have started, had it waited.
        var source = new Source("t.csv", After(3000));

        var outcome = ledger.Import([source.Build()]);

        Assert.True(outcome.Committed);
        Assert.True(source.OpenedBeforeHash);
        var row = Assert.Single(ledger.Query("SELECT sha256, sizeBytes FROM imports"));
        Assert.Equal(Sha, row[0]);
        Assert.Equal((long)Content.Length, Convert.ToInt64(row[1], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Identical_content_of_a_known_size_waits_for_its_hash_and_is_skipped_unread()
    {
        using var ledger = TraceLedger.InMemory();
        Assert.True(ledger.Import([new Source("first.csv", After(0)).Build()]).Committed);
        var again = new Source("again.csv", After(200));

        var outcome = ledger.Import([again.Build()]);

        Assert.Equal(ImportStatus.AlreadyImported, Assert.Single(outcome.Files).Status);
        Assert.False(again.Opened);
        Assert.Equal(1L, Convert.ToInt64(ledger.Scalar("SELECT count(*) FROM imports"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Identical_content_twice_in_one_run_is_imported_once_though_the_first_was_loaded_before_its_hash()
    {
        using var ledger = TraceLedger.InMemory();
        var first = new Source("first.csv", After(3000));
        var second = new Source("second.csv", After(0));

        var outcome = ledger.Import([first.Build(), second.Build()]);

        Assert.True(first.OpenedBeforeHash);
        Assert.False(second.Opened);
        Assert.Equal([ImportStatus.Imported, ImportStatus.AlreadyImported], outcome.Files.Select(f => f.Status));
        Assert.Equal("first.csv", outcome.Files[1].PreviousPath);
    }

    [Fact]
    public void Imports_made_before_sizes_were_kept_make_every_file_wait_for_its_hash()
    {
        using var ledger = TraceLedger.InMemory();
        Assert.True(ledger.Import([new Source("first.csv", After(0)).Build()]).Committed);
        ledger.Execute("UPDATE imports SET sizeBytes = NULL"); // as a ledger migrated from version 3 has them
        var again = new Source("again.csv", After(200));

        var outcome = ledger.Import([again.Build()]);

        Assert.Equal(ImportStatus.AlreadyImported, Assert.Single(outcome.Files).Status);
        Assert.False(again.Opened);
    }
}
