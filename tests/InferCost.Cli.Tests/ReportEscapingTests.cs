namespace InferCost.Cli.Tests;

/// <summary>Every user string in report.md is escaped, the p95-targets line included (it once printed the workload
/// and the target's source verbatim).</summary>
public class ReportEscapingTests
{
    [Fact]
    public void A_workload_name_with_markup_and_a_pipe_is_escaped_in_the_targets_line()
    {
        var folder = CliRunner.TempFolder();
        var traces = Path.Combine(folder, "traces.csv");
        var lines = File.ReadAllLines(CliRunner.Fixture("contract/template.csv"));
        var column = Array.IndexOf(lines[0].Split(','), "workload");
        File.WriteAllLines(traces, lines.Select((line, i) =>
        {
            if (i == 0)
            {
                return line;
            }
            var cells = line.Split(',');
            cells[column] = "<b>w|1</b>";
            return string.Join(',', cells);
        }));

        var (exit, _, err) = CliRunner.Run("report", traces, "--out", Path.Combine(folder, "report"), "--target-p95-ms", "9000");

        Assert.True(exit == 0, err);
        var targets = Assert.Single(File.ReadAllLines(Path.Combine(folder, "report", "report.md")), l => l.StartsWith("- p95 targets:", StringComparison.Ordinal));
        Assert.Contains("&lt;b&gt;w\\|1&lt;/b&gt;", targets);
        Assert.DoesNotContain("<b>", targets);
    }
}
