using System.Diagnostics;
using InferCost.Core.Kit;
using InferCost.Core.Writing;
using InferCost.Ledger;

namespace InferCost.Cli.Tests;

/// <summary>
/// What happens to the ledger when an import is killed or the ledger is held by another process. These need a
/// second OS process: DuckDB's file lock is per process, and a kill must hit a real import.
/// </summary>
public class ImportRobustnessTests
{
    [Fact]
    public void A_kill_during_import_leaves_the_ledger_as_it_was()
    {
        var folder = CliRunner.TempFolder();
        var ledgerPath = Path.Combine(folder, "ledger.duckdb");
        var small = Path.Combine(folder, "small.csv");
        WriteRows(small, copies: 2);
        Assert.Equal(0, CliRunner.Run("import", small, "--ledger", ledgerPath).Exit);
        var big = Path.Combine(folder, "big.csv");
        WriteRows(big, copies: 150_000);
        var sizeBefore = new FileInfo(ledgerPath).Length;

        using var child = StartCli("import", big, "--ledger", ledgerPath);
        // The file grows once the import's transaction writes row groups ahead of commit; kill it then.
        WaitUntil(() => new FileInfo(ledgerPath).Length > sizeBefore + 1_000_000 || child.HasExited, TimeSpan.FromSeconds(60));
        Assert.False(child.HasExited, "the import finished before it could be killed; make the file bigger");
        child.Kill(entireProcessTree: true);
        child.WaitForExit();

        using var ledger = TraceLedger.Open(ledgerPath, readOnly: true);
        var summary = ledger.Summary();
        Assert.Equal(small, Assert.Single(summary.Imports).SourcePath);
        Assert.Equal(2L * TemplateRows.Rows.Count, summary.TotalRows);
    }

    [Fact]
    public void A_ledger_locked_by_another_process_is_exit_3_with_one_sentence()
    {
        var folder = CliRunner.TempFolder();
        var ledgerPath = Path.Combine(folder, "ledger.duckdb");
        var big = Path.Combine(folder, "big.csv");
        WriteRows(big, copies: 150_000);

        using var child = StartCli("import", big, "--ledger", ledgerPath);
        try
        {
            // The ledger file exists once the import has opened (and locked) it; the import itself runs for seconds.
            WaitUntil(() => File.Exists(ledgerPath) || child.HasExited, TimeSpan.FromSeconds(60));
            Thread.Sleep(200); // DuckDB creates the file a moment before it takes the lock.
            Assert.False(child.HasExited, "the import finished before the lock could be tested; make the file bigger");

            var (exit, output, err) = CliRunner.Run("ledger", "info", "--ledger", ledgerPath);

            Assert.Equal(3, exit);
            Assert.Equal(string.Empty, output);
            var sentence = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal($"The ledger {ledgerPath} is locked by another process; wait for it to finish or close it, then retry.", sentence);
        }
        finally
        {
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }
    }

    /// <summary>The template rows repeated: a valid contract CSV of any size.</summary>
    private static void WriteRows(string path, int copies)
    {
        using var writer = new StreamWriter(path);
        TraceCsvWriter.Write(writer, Enumerable.Range(0, copies).SelectMany(_ => TemplateRows.Rows));
    }

    private static Process StartCli(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "infercost.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start)!;
    }

    private static void WaitUntil(Func<bool> condition, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < limit, $"nothing happened within {limit.TotalSeconds} s");
            Thread.Sleep(20);
        }
    }
}

public class ProgressBarTests
{
    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void A_large_import_draws_a_progress_bar_only_on_a_terminal(bool redirected, bool expectBar)
    {
        var folder = CliRunner.TempFolder();
        var big = Path.Combine(folder, "big.csv");
        using (var writer = new StreamWriter(big))
        {
            TraceCsvWriter.Write(writer, Enumerable.Range(0, 15_000).SelectMany(_ => TemplateRows.Rows));
        }
        Assert.True(new FileInfo(big).Length > ProgressReporter.Threshold, "the file must be over the progress threshold");
        var output = new StringWriter();
        var error = new StringWriter();
        var environment = CliEnvironment.ForTests() with { OutputRedirected = redirected, ErrorRedirected = redirected };

        var exit = CliApp.Run(["import", big, "--ledger", Path.Combine(folder, "l.duckdb")], output, error, environment);

        Assert.Equal(0, exit);
        Assert.Equal(expectBar, error.ToString().Contains("100%", StringComparison.Ordinal));
        Assert.DoesNotContain("%", output.ToString());
    }
}
