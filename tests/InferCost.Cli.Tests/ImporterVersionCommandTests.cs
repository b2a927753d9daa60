namespace InferCost.Cli.Tests;

/// <summary>The importers' tool versions and safety net as a user meets them on the command line.</summary>
public class ImporterVersionCommandTests
{
    [Fact]
    public void Import_help_lists_the_tool_versions_each_format_reads()
    {
        var (exit, output, _) = CliRunner.Run("import", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("guidellm: GuideLLM 0.5", output, StringComparison.Ordinal);
        Assert.Contains("aiperf: AIPerf profile_export.jsonl, current schema", output, StringComparison.Ordinal);
        Assert.Contains("--include-warmup", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vllm_summary_with_e2el_percentiles_imports_as_one_row_whose_p95_is_the_files()
    {
        var folder = CliRunner.TempFolder();
        var ledger = Path.Combine(folder, "l.duckdb");
        var (exit, output, err) = CliRunner.Run("import", CliRunner.Fixture("importers/vllm-bench/result-summary-e2el.json"), "--ledger", ledger,
            "--route", "self-hosted", "--workload", "support", "--provider", "vllm");
        Assert.True(exit == 0, err);
        Assert.Contains("Imported 1 rows", output, StringComparison.Ordinal);
        var csv = Path.Combine(folder, "rows.csv");
        Assert.Equal(0, CliRunner.Run("ledger", "export", "--ledger", ledger, "--out", csv).Exit);
        var lines = File.ReadAllLines(csv);
        var header = lines[0].Split(',');
        var row = Assert.Single(lines.Skip(1)).Split(',');
        Assert.Equal("5231.8", row[Array.IndexOf(header, "latencyP95Ms")]); // p95_e2el_ms of the file
        Assert.Equal("16", row[Array.IndexOf(header, "concurrency")]);
    }

    [Fact]
    public void A_concurrency_flag_the_file_overrides_is_a_warning_on_stderr()
    {
        var folder = CliRunner.TempFolder();
        var (exit, _, err) = CliRunner.Run("import", CliRunner.Fixture("importers/guidellm/benchmarks-0.5.json"), "--ledger", Path.Combine(folder, "l.duckdb"),
            "--route", "self-hosted", "--workload", "support", "--provider", "vllm", "--concurrency", "8");
        Assert.Equal(0, exit);
        Assert.Contains("--concurrency was not used: the file states concurrency 16", err, StringComparison.Ordinal);
    }
}
