using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace InferCost.Cli.Tests;

/// <summary>A break-even names the replicas it takes, never a utilization above 100%.</summary>
public partial class BreakEvenTests
{
    [GeneratedRegex(@"([0-9][0-9.,]*)% (average )?utilization")]
    private static partial Regex UtilizationPercent();

    [Fact]
    public void No_break_even_in_the_demo_needs_a_utilization_above_100_percent_it_says_how_many_replicas_instead()
    {
        var folder = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run("demo", "--out", folder).Exit);

        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "report", "report.json")));
        var breakEvens = report.RootElement.GetProperty("costCurves").EnumerateArray()
            .SelectMany(c => c.GetProperty("breakEvens").EnumerateArray())
            .Where(b => b.GetProperty("monthlyAcceptedOutputs").ValueKind == JsonValueKind.Number)
            .ToList();
        Assert.NotEmpty(breakEvens);
        Assert.All(breakEvens, b =>
        {
            Assert.InRange(b.GetProperty("breakEvenUtilization").GetDouble(), 0, 1);
            Assert.True(b.GetProperty("replicas").GetInt64() >= 1);
        });
        // The demo has break-evens that one replica cannot reach (fixed operations spread over several replicas).
        Assert.Contains(breakEvens, b => b.GetProperty("replicas").GetInt64() > 1);

        var texts = new[]
        {
            File.ReadAllText(Path.Combine(folder, "report", "report.md")),
            File.ReadAllText(Path.Combine(folder, "procurement", "hardware-procurement-matrix.md")),
            CliRunner.Run("curve", "--workload", "support-policy", "--ledger", Path.Combine(folder, "demo.duckdb")).Out,
        };
        foreach (var text in texts)
        {
            foreach (Match m in UtilizationPercent().Matches(text))
            {
                var percent = double.Parse(m.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
                Assert.True(percent <= 100, $"'{m.Value}' in: …{text.Substring(Math.Max(0, m.Index - 120), Math.Min(160, text.Length - Math.Max(0, m.Index - 120)))}…");
            }
        }
    }
}
