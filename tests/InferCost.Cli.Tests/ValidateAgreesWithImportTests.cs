using System.Diagnostics;
using System.Text;

namespace InferCost.Cli.Tests;

/// <summary><c>validate</c> reads a file exactly as <c>import</c> does (one detection, one reader per format), shows
/// every problem in one run, and reads only regular files.</summary>
public class ValidateAgreesWithImportTests
{
    private const string EventsHeader = "requestId,startedAt,latencyMs,route,provider,model,workload,inputTokens,cachedInputTokens,outputTokens,ttftMs,status,attempt,accepted,costUsd,concurrency";

    [Fact]
    public void A_request_events_file_that_import_accepts_is_valid()
    {
        var file = CliRunner.Fixture("importers/events/events.csv");
        var ledger = Path.Combine(CliRunner.TempFolder(), "l.duckdb");

        var validate = CliRunner.Run("validate", file);
        var import = CliRunner.Run("import", file, "--ledger", ledger);

        Assert.True(validate.Exit == 0, validate.Err);
        Assert.Equal(0, import.Exit);
        var events = File.ReadAllLines(file).Length - 1;
        Assert.Contains($"{file}: events-csv, {events} records, valid", validate.Out);
    }

    [Fact]
    public void A_utf16_csv_is_detected_by_validate_and_by_import_alike()
    {
        var folder = CliRunner.TempFolder();
        var file = Path.Combine(folder, "utf16.csv");
        // Encoding.Unicode writes the UTF-16 LE byte-order mark first.
        File.WriteAllText(file, File.ReadAllText(CliRunner.Fixture("importers/events/events.csv")), Encoding.Unicode);

        var validate = CliRunner.Run("validate", file);
        var import = CliRunner.Run("import", file, "--ledger", Path.Combine(folder, "l.duckdb"));

        Assert.True(validate.Exit == 0, validate.Err);
        Assert.Contains("read as request events", validate.Err);
        Assert.True(import.Exit == 0, import.Err);
    }

    [Fact]
    public void A_1_MB_first_field_does_not_defeat_detection()
    {
        var folder = CliRunner.TempFolder();
        var file = Path.Combine(folder, "big-field.csv");
        var row = "q1,2026-11-22T10:00:00Z,900,self-hosted,vLLM,llama-3.1-8b,support,1000,500,100,100,ok,1,true,0.001,4";
        File.WriteAllText(file, EventsHeader + "\n" + row.Replace("q1", new string('x', 1 << 20), StringComparison.Ordinal) + "\n");

        var validate = CliRunner.Run("validate", file);
        var import = CliRunner.Run("import", file, "--ledger", Path.Combine(folder, "l.duckdb"));

        Assert.True(validate.Exit == 0, validate.Err);
        Assert.True(import.Exit == 0, import.Err);
        Assert.Contains("1 records, valid", validate.Out);
    }

    [Fact]
    public void A_header_problem_does_not_hide_the_value_errors_of_the_rows()
    {
        var file = Path.Combine(CliRunner.TempFolder(), "header-and-values.csv");
        var lines = File.ReadAllLines(CliRunner.Fixture("contract/missing-column.csv"));
        var header = lines[0].Split(',');
        var values = lines[1].Split(',');
        values[Array.IndexOf(header, "inputTokens")] = "-5";
        values[Array.IndexOf(header, "cacheHitRate")] = "1.7";
        File.WriteAllLines(file, [lines[0], string.Join(',', values)]);

        var (exit, output, err) = CliRunner.Run("validate", file);

        Assert.Equal(1, exit);
        Assert.Contains("field reviewMinutes: required column is missing from the header.", err);
        Assert.Contains($"line 2, column {Array.IndexOf(header, "inputTokens") + 1} (inputTokens): value \"-5\" must be zero or more.", err);
        Assert.Contains($"line 2, column {Array.IndexOf(header, "cacheHitRate") + 1} (cacheHitRate): value \"1.7\"", err);
        Assert.Contains("invalid (3 errors)", output);
    }

    [Fact]
    public void A_json_syntax_error_names_line_and_column()
    {
        var file = Path.Combine(CliRunner.TempFolder(), "broken.jsonl");
        // Line 2, the 15th character is the 'o' of oops: {"requestId": oops}
        File.WriteAllText(file, "{\"requestId\":\"a\",\"startedAt\":\"2026-11-22T10:00:00Z\"}\n{\"requestId\": oops}\n");

        var (exit, _, err) = CliRunner.Run("validate", file, "--input-format", "events");

        Assert.Equal(1, exit);
        Assert.Contains($"{file}, line 2, column 15: is not valid JSON (truncated or malformed)", err);
    }

    [Fact]
    public void Warnings_past_the_kept_thousand_say_how_many_more()
    {
        var file = Path.Combine(CliRunner.TempFolder(), "many-unknown-keys.jsonl");
        // Each line carries a different unknown key: one warning each, 1,005 in all; 1,000 are kept.
        var lines = Enumerable.Range(1, 1005).Select(i =>
            $"{{\"requestId\":\"q{i}\",\"startedAt\":\"2026-11-22T10:00:00Z\",\"latencyMs\":900,\"route\":\"self-hosted\",\"provider\":\"vLLM\",\"model\":\"m\",\"workload\":\"w\",\"inputTokens\":10,\"outputTokens\":5,\"extra{i}\":1}}");
        File.WriteAllLines(file, lines);

        var (_, _, err) = CliRunner.Run("validate", file);

        Assert.Contains($"{file}: … and 5 more warnings not shown.", err);
    }

    [Fact]
    public void A_fifo_is_refused_at_once_and_skipped_in_a_folder()
    {
        var folder = CliRunner.TempFolder();
        var fifo = Path.Combine(folder, "pipe");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        File.Copy(CliRunner.Fixture("contract/template.csv"), Path.Combine(folder, "traces.csv"));

        // Opening a FIFO for reading blocks until a writer comes; these calls return because it is never opened.
        var named = CliRunner.Run("validate", fifo);
        var inFolder = CliRunner.Run("validate", folder);

        Assert.Equal(3, named.Exit);
        Assert.Contains($"{fifo}: is not a regular file (a FIFO, socket or device); only regular files are read.", named.Err);
        Assert.True(inFolder.Exit == 0, inFolder.Err);
        Assert.Contains($"{fifo}: skipped, not a regular file", inFolder.Err);
        Assert.Contains("traces.csv: csv, 3 rows, valid", inFolder.Out);
    }

    [Fact]
    public void An_endless_device_is_refused_rather_than_read()
    {
        var (exit, _, err) = CliRunner.Run("import", "/dev/zero", "--ledger", Path.Combine(CliRunner.TempFolder(), "l.duckdb"));

        Assert.Equal(3, exit);
        Assert.Contains("/dev/zero: is not a regular file", err);
    }
}
