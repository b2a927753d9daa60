using System.Diagnostics;
using System.Text.Json;
using InferCost.Core.Kit;
using InferCost.Core.Writing;
using InferCost.Ledger;

namespace InferCost.Cli.Tests;

/// <summary>
/// What happens to the ledger when an import is killed, or read or written by another process meanwhile. These need
/// a second OS process: DuckDB's file lock is per process, and a kill must hit a real import.
/// </summary>
public class ImportRobustnessTests
{
    [Fact]
    public void A_reader_during_a_large_import_gets_the_last_committed_state_and_then_the_new_one()
    {
        var folder = CliRunner.TempFolder();
        var ledgerPath = Path.Combine(folder, "ledger.duckdb");
        var small = Path.Combine(folder, "small.csv");
        WriteRows(small, copies: 2);
        Assert.Equal(0, CliRunner.Run("import", small, "--ledger", ledgerPath).Exit);
        var big = Path.Combine(folder, "big.jsonl");
        WriteEventsJsonl(big, events: 150_000);

        using var child = StartCli("import", big, "--ledger", ledgerPath);
        WaitUntil(() => WriteCopies(folder).Length > 0 || child.HasExited, TimeSpan.FromSeconds(60));
        // Readers, one after another, each a process of its own, for as long as the import runs: every one exits 0
        // and sees either the state before the import or the state after it, never a lock or half an import.
        var duringImport = 0;
        var readers = 0;
        while (!child.HasExited)
        {
            var info = RunCli("ledger", "info", "--ledger", ledgerPath, "--format", "json");
            var stillImporting = !child.HasExited;
            Assert.True(info.Exit == 0, $"reader {readers} exited {info.Exit}: {info.Err}");
            using var json = JsonDocument.Parse(info.Out);
            var imports = json.RootElement.GetProperty("imports").GetArrayLength();
            Assert.True(imports is 1 or 2, $"reader {readers} saw {imports} imports");
            if (imports == 1)
            {
                Assert.Equal(2L * TemplateRows.Rows.Count, json.RootElement.GetProperty("totalRows").GetInt64());
                if (stillImporting)
                {
                    duringImport++;
                }
            }
            readers++;
            if (readers == 1 && stillImporting)
            {
                // A second kind of reader: metrics over the ledger (the small file's three groups, no events yet).
                var metrics = RunCli("metrics", "--ledger", ledgerPath, "--format", "json");
                Assert.True(metrics.Exit == 0, $"metrics exited {metrics.Exit}: {metrics.Err}");
                Assert.DoesNotContain("locked", metrics.Err, StringComparison.Ordinal);
            }
        }
        child.WaitForExit();
        Assert.Equal(0, child.ExitCode);
        Assert.True(duringImport > 0, "no reader ran to its end while the import was still running; make the file bigger");

        var after = RunCli("ledger", "info", "--ledger", ledgerPath, "--format", "json");
        Assert.Equal(0, after.Exit);
        using var final = JsonDocument.Parse(after.Out);
        Assert.Equal(2, final.RootElement.GetProperty("imports").GetArrayLength());
        Assert.Equal(150_000, final.RootElement.GetProperty("imports")[1].GetProperty("rowCount").GetInt64());
        Assert.Empty(WriteCopies(folder));
    }

    [Fact]
    public void A_second_writer_during_an_import_is_exit_3_with_one_sentence_and_the_first_import_completes()
    {
        var folder = CliRunner.TempFolder();
        var ledgerPath = Path.Combine(folder, "ledger.duckdb");
        var big = Path.Combine(folder, "big.csv");
        WriteRows(big, copies: 150_000);
        var small = Path.Combine(folder, "small.csv");
        WriteRows(small, copies: 1);

        using var child = StartCli("import", big, "--ledger", ledgerPath);
        WaitUntil(() => WriteCopies(folder).Length > 0 || child.HasExited, TimeSpan.FromSeconds(60));
        Assert.False(child.HasExited, "the import finished before the second writer could be tested; make the file bigger");

        var (exit, output, err) = CliRunner.Run("import", small, "--ledger", ledgerPath);
        var wasRunning = !child.HasExited;

        Assert.Equal(3, exit);
        Assert.Equal(string.Empty, output);
        var sentence = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"The ledger {ledgerPath} is being written by another process (an import or accept); wait for it to finish, then retry. Reading it works meanwhile.", sentence);
        Assert.True(wasRunning, "the import ended while the second writer ran; make the file bigger");
        child.WaitForExit();
        Assert.Equal(0, child.ExitCode);
        using var ledger = TraceLedger.Open(ledgerPath, readOnly: true);
        Assert.Equal(big, Assert.Single(ledger.Imports()).SourcePath);
    }

    public enum BigImport
    {
        /// <summary>Contract rows, loaded by DuckDB's own CSV reader.</summary>
        ContractCsv,
        /// <summary>Request events as CSV, the same bulk path.</summary>
        EventsCsv,
        /// <summary>Request events as JSON Lines: parsed record by record and spooled to segment files.</summary>
        EventsJsonl,
    }

    [Theory]
    [InlineData(BigImport.ContractCsv)]
    [InlineData(BigImport.EventsCsv)]
    [InlineData(BigImport.EventsJsonl)]
    public void Kills_at_random_points_of_a_large_import_leave_the_ledger_as_it_was_and_a_reimport_works(BigImport kind)
    {
        var folder = CliRunner.TempFolder();
        var ledgerPath = Path.Combine(folder, "ledger.duckdb");
        var small = Path.Combine(folder, "small.csv");
        WriteRows(small, copies: 2);
        Assert.Equal(0, CliRunner.Run("import", small, "--ledger", ledgerPath).Exit);
        var smallRows = 2L * TemplateRows.Rows.Count;
        var (big, bigRows) = kind switch
        {
            BigImport.ContractCsv => (Path.Combine(folder, "big.csv"), WriteRows(Path.Combine(folder, "big.csv"), copies: 100_000)),
            BigImport.EventsCsv => (Path.Combine(folder, "big-events.csv"), WriteEventsCsv(Path.Combine(folder, "big-events.csv"), events: 400_000)),
            _ => (Path.Combine(folder, "big.jsonl"), WriteEventsJsonl(Path.Combine(folder, "big.jsonl"), events: 120_000)),
        };
        var before = File.ReadAllBytes(ledgerPath);

        // The kill points are random but fixed by the seed: the first soon after the import starts writing, the
        // others anywhere up to 1.5 s later (the imports take several seconds here).
        var random = new Random(19 + (int)kind);
        var killed = 0;
        var leftovers = 0;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var child = StartCli("import", big, "--ledger", ledgerPath);
            WaitUntil(() => WriteCopies(folder).Length > 0 || child.HasExited, TimeSpan.FromSeconds(60));
            Thread.Sleep(attempt == 0 ? random.Next(0, 200) : random.Next(0, 1500));
            if (child.HasExited)
            {
                break;
            }
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
            killed++;
            leftovers += Directory.GetFiles(folder, ".ledger.duckdb.*").Count(f => !f.EndsWith(".lock", StringComparison.Ordinal));

            // None of the killed import: the ledger file is byte for byte the one before (so also no larger), and opens.
            Assert.Equal(before, File.ReadAllBytes(ledgerPath));
            using var ledger = TraceLedger.Open(ledgerPath, readOnly: true);
            Assert.Equal(small, Assert.Single(ledger.Imports()).SourcePath);
            Assert.Equal(smallRows, ledger.Summary().TotalRows);
            Assert.Equal(0, ledger.EventCount());
        }
        Assert.True(killed > 0, "every import finished before it could be killed; make the file bigger");
        // What a killed writer leaves (its copy of the ledger, a spool segment) is there until the next writer.
        Assert.True(leftovers > 0, "a killed import left no file behind, so their cleanup is not tested");

        var (exit, _, err) = CliRunner.Run("import", big, "--ledger", ledgerPath);
        Assert.True(exit == 0, err);
        using (var ledger = TraceLedger.Open(ledgerPath, readOnly: true))
        {
            Assert.Equal(2, ledger.Imports().Count);
            var isEvents = kind != BigImport.ContractCsv;
            Assert.Equal(smallRows + (isEvents ? 0 : bigRows), ledger.Summary().TotalRows);
            Assert.Equal(isEvents ? bigRows : 0, ledger.EventCount());
        }
        Assert.Equal([".ledger.duckdb.lock"], Directory.GetFiles(folder, ".ledger.duckdb*").Select(Path.GetFileName));
    }

    /// <summary>The template rows repeated: a valid contract CSV of any size. Returns its rows.</summary>
    private static long WriteRows(string path, int copies)
    {
        using var writer = new StreamWriter(path);
        TraceCsvWriter.Write(writer, Enumerable.Range(0, copies).SelectMany(_ => TemplateRows.Rows));
        return (long)copies * TemplateRows.Rows.Count;
    }

    /// <summary>Distinct, valid request events as JSON Lines (read record by record, through the spool).</summary>
    internal static long WriteEventsJsonl(string path, int events)
    {
        using var writer = new StreamWriter(path) { NewLine = "\n" };
        for (var i = 0; i < events; i++)
        {
            writer.WriteLine(FormattableString.Invariant(
                $"{{\"requestId\":\"r{i}\",\"startedAt\":\"2026-11-22T10:{i / 60 % 60:00}:{i % 60:00}.{i % 1000:000}Z\",\"latencyMs\":{900 + i % 500},\"route\":\"self-hosted\",\"provider\":\"vLLM\",\"model\":\"llama-3.1-8b\",\"workload\":\"support\",\"inputTokens\":{1000 + i % 7},\"outputTokens\":{100 + i % 13},\"ttftMs\":100,\"status\":\"ok\",\"attempt\":1,\"concurrency\":4}}"));
        }
        return events;
    }

    /// <summary>Distinct, valid request events as plain CSV (DuckDB's bulk path).</summary>
    private static long WriteEventsCsv(string path, int events)
    {
        using var writer = new StreamWriter(path) { NewLine = "\n" };
        writer.WriteLine("requestId,startedAt,latencyMs,route,provider,model,workload,inputTokens,outputTokens,ttftMs,status,attempt,concurrency");
        for (var i = 0; i < events; i++)
        {
            writer.WriteLine(FormattableString.Invariant(
                $"r{i},2026-11-22T10:{i / 60 % 60:00}:{i % 60:00}.{i % 1000:000}Z,{900 + i % 500},self-hosted,vLLM,llama-3.1-8b,support,{1000 + i % 7},{100 + i % 13},100,ok,1,4"));
        }
        return events;
    }

    /// <summary>Copies of the ledger a writer is working on (see the ledger's WriteCopy).</summary>
    private static string[] WriteCopies(string folder) => Directory.GetFiles(folder, ".ledger.duckdb.write-*.duckdb");

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

    /// <summary>Runs the built CLI as a process of its own and waits for it.</summary>
    private static (int Exit, string Out, string Err) RunCli(params string[] args)
    {
        using var process = StartCli(args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "the reader did not finish within 60 s");
        return (process.ExitCode, output.Result, error.Result);
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
