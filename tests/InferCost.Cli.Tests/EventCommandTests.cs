using System.Text.Json;

namespace InferCost.Cli.Tests;

public sealed class EventCommandTests
{
    [Fact]
    public void Import_auto_detects_a_vllm_result_declares_fill_ins_and_metrics_report_exact_p95()
    {
        var folder = CliRunner.TempFolder();
        var ledger = Path.Combine(folder, "l.duckdb");
        var import = CliRunner.Run("import", CliRunner.Fixture("importers/vllm-bench/result-detailed.json"), "--ledger", ledger,
            "--route", "self-hosted", "--workload", "support", "--provider", "vllm");

        Assert.Equal(0, import.Exit);
        Assert.Contains("read as vllm-bench", import.Err);
        Assert.Contains("imported 5 events (vllm-bench", import.Out);
        Assert.Contains("route (--route)", import.Out);
        Assert.Contains("workload (--workload)", import.Out);

        var metrics = CliRunner.Run("metrics", "--ledger", ledger, "--format", "json");
        Assert.Equal(0, metrics.Exit);
        using var json = JsonDocument.Parse(metrics.Out);
        var group = Assert.Single(json.RootElement.GetProperty("groups").EnumerateArray());
        Assert.Equal("events", group.GetProperty("percentileSource").GetString());
        Assert.Equal(1880, group.GetProperty("latencyP95Ms").GetDouble(), 6); // 400, 1000, 1200, 2000 → h = 2.85
        Assert.Equal(4, group.GetProperty("concurrency").GetInt64());
        Assert.Contains("unknown", group.GetProperty("costReason").GetString()); // nothing judged yet
        // Unjudged is unknown, not zero: JSON null, and the table shows a dash rather than 0%.
        Assert.Equal(JsonValueKind.Null, group.GetProperty("acceptedOutputRate").ValueKind);
        var table = CliRunner.Run("metrics", "--ledger", ledger);
        var line = Assert.Single(table.Out.Split('\n'), l => l.StartsWith("support ", StringComparison.Ordinal));
        Assert.Matches(@"\s—\s+1,880 ms", line); // the acceptance column, just before p95
    }

    [Fact]
    public void A_folder_of_batch_outputs_imports_in_one_command_and_an_empty_folder_is_a_clear_error()
    {
        // The fixture's three lines split over two files (two answers and one expired request), plus a hidden file
        // that is not a trace: the folder stands for its visible files, in name order.
        var folder = CliRunner.TempFolder();
        var outputs = Directory.CreateDirectory(Path.Combine(folder, "outputs")).FullName;
        var lines = File.ReadAllLines(CliRunner.Fixture("importers/openai/batch_output.jsonl"));
        File.WriteAllLines(Path.Combine(outputs, "part-2.jsonl"), [lines[1]]);
        File.WriteAllLines(Path.Combine(outputs, "part-1.jsonl"), [lines[0], lines[2]]);
        File.WriteAllText(Path.Combine(outputs, ".DS_Store"), "not a trace");
        var ledger = Path.Combine(folder, "l.duckdb");

        var (exit, output, _) = CliRunner.Run("import", outputs, "--workload", "support", "--ledger", ledger);

        Assert.Equal(0, exit);
        var imported = output.Split('\n').Where(l => l.Contains(": imported ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, imported.Count);
        Assert.StartsWith(Path.Combine(outputs, "part-1.jsonl") + ": imported 2 events", imported[0], StringComparison.Ordinal);
        Assert.StartsWith(Path.Combine(outputs, "part-2.jsonl") + ": imported 1 events", imported[1], StringComparison.Ordinal);
        Assert.Contains("Imported 3 request events", output);

        var empty = Directory.CreateDirectory(Path.Combine(folder, "empty")).FullName;
        var none = CliRunner.Run("import", empty, "--ledger", Path.Combine(folder, "none.duckdb"));
        Assert.Equal(3, none.Exit);
        Assert.Equal($"{empty}: is a directory with no files in it; name the trace files or put them there.\n", none.Err);
        Assert.False(File.Exists(Path.Combine(folder, "none.duckdb")));
    }

    [Fact]
    public void An_undetectable_file_is_a_clear_error_listing_the_formats()
    {
        var folder = CliRunner.TempFolder();
        var file = Path.Combine(folder, "mystery.json");
        File.WriteAllText(file, """{"hello": "world"}""");
        var (exit, _, err) = CliRunner.Run("import", file, "--ledger", Path.Combine(folder, "l.duckdb"));
        Assert.Equal(1, exit);
        Assert.Contains("cannot be detected", err);
        Assert.Contains("vllm-bench, genai-perf, aiperf, guidellm, llmperf, litellm, langfuse, helicone, otel, openai, anthropic", err);
    }

    [Fact]
    public void An_unknown_format_name_is_a_usage_error()
    {
        var (exit, _, err) = CliRunner.Run("import", CliRunner.Fixture("importers/events/events.csv"), "--format", "csvx");
        Assert.Equal(2, exit);
        Assert.Contains("--format must be one of", err);
    }

    [Fact]
    public void Missing_fill_ins_are_named_and_nothing_is_imported()
    {
        var folder = CliRunner.TempFolder();
        var ledger = Path.Combine(folder, "l.duckdb");
        var (exit, _, err) = CliRunner.Run("import", CliRunner.Fixture("importers/litellm/spend_logs.csv"), "--ledger", ledger);
        Assert.Equal(1, exit);
        Assert.Contains("give --route", err);
        Assert.Contains("give --workload", err);
        Assert.Contains("unchanged", err);
    }

    [Fact]
    public void Rollup_of_files_as_json_and_csv_and_accept_then_cost_per_accepted_output()
    {
        var folder = CliRunner.TempFolder();
        var events = CliRunner.Fixture("importers/events/events.csv");
        var json = CliRunner.Run("rollup", events, "--by", "route,workload");
        Assert.Equal(0, json.Exit);
        using (var document = JsonDocument.Parse(json.Out))
        {
            Assert.Equal("infercost.rollup/v1", document.RootElement.GetProperty("schema").GetString());
            var row = Assert.Single(document.RootElement.GetProperty("rows").EnumerateArray());
            Assert.Equal(1280, row.GetProperty("latencyP95Ms").GetDouble(), 9); // 900, 1100, 1300: h = 1.9
            Assert.Equal("events", row.GetProperty("percentileSource").GetString());
            Assert.Equal("per-request", row.GetProperty("percentileBasis").GetProperty("latencyP95Ms").GetString());
            Assert.Equal(JsonValueKind.Null, row.GetProperty("latencyP95ErrorAdjustedMs").ValueKind); // 1 of 4 timed out
        }
        var csv = CliRunner.Run("rollup", events, "--format", "csv");
        Assert.Equal(0, csv.Exit);
        var lines = csv.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("route,provider,model,workload,", lines[0]);
        Assert.StartsWith("Self-hosted GPU stack,vLLM,llama-3.1-8b,support,1000,100,", lines[1]);
        // The CSV is a contract file: it validates.
        var rolled = Path.Combine(folder, "rolled.csv");
        File.WriteAllText(rolled, csv.Out);
        Assert.Equal(0, CliRunner.Run("validate", rolled).Exit);

        var ledger = Path.Combine(folder, "l.duckdb");
        Assert.Equal(0, CliRunner.Run("import", events, "--ledger", ledger).Exit);
        var reviews = Path.Combine(folder, "reviews.csv");
        File.WriteAllText(reviews, "requestId,accepted,reviewMinutes\nq1,true,1\nq2,true,1\nq3,false,1\nzz,true,\n");
        var accept = CliRunner.Run("accept", reviews, "--ledger", ledger);
        Assert.Equal(0, accept.Exit);
        Assert.Contains("Attached 3 of 4 judgements", accept.Out);
        Assert.Contains("\"zz\" matches no successful event", accept.Err);

        var metrics = CliRunner.Run("metrics", "--ledger", ledger, "--format", "json", "--reviewer-usd-per-hour", "60");
        using var m = JsonDocument.Parse(metrics.Out);
        var group = Assert.Single(m.RootElement.GetProperty("groups").EnumerateArray());
        Assert.Equal(2.0 / 3, group.GetProperty("acceptedOutputRate").GetDouble(), 12);
        // cost per output = (3 × 0.001 + 0) ÷ 3 = 0.001; review = 3 min ÷ 3 outputs = 1 min = $1; ÷ 2/3 accepted.
        Assert.Equal(Math.Round((0.001m + 1m) * 3 / 2, 9), group.GetProperty("costPerAcceptedOutputUsd").GetDecimal());
    }

    [Fact]
    public void Accept_with_a_bad_verdict_changes_nothing()
    {
        var folder = CliRunner.TempFolder();
        var reviews = Path.Combine(folder, "reviews.csv");
        File.WriteAllText(reviews, "requestId,accepted\nq1,perhaps\n");
        var (exit, _, err) = CliRunner.Run("accept", reviews, "--ledger", Path.Combine(folder, "l.duckdb"));
        Assert.Equal(1, exit);
        Assert.Contains("line 2, column 2 (accepted): value \"perhaps\"", err);
    }
}
