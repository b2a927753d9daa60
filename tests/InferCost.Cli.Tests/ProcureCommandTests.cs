using System.Globalization;
using System.Text.Json;
using InferCost.Core.Kit;

namespace InferCost.Cli.Tests;

public class ProcureCommandTests
{
    private static string Golden(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "golden", name);

    /// <summary>A folder with the bundled example traces and the kit's example profile.</summary>
    private static (string Folder, string Traces, string Profile) Example(string? profileText = null)
    {
        var folder = CliRunner.TempFolder();
        var traces = Path.Combine(folder, "example-traces.csv");
        var profile = Path.Combine(folder, "profile.yaml");
        File.WriteAllText(traces, ExampleTraces.Csv());
        File.WriteAllText(profile, profileText ?? KitArtifacts.ExampleProfile());
        return (folder, traces, profile);
    }

    private static string Output(string folder, string name) =>
        File.ReadAllText(Path.Combine(folder, "out", name)).Replace(folder, "trace-kit", StringComparison.Ordinal);

    [Fact]
    public void The_example_profile_matrix_matches_the_golden_markdown_and_json_under_any_culture()
    {
        var (folder, traces, profile) = Example();

        var (exit, output, err) = CliRunner.Run("procure", traces, "--profile", profile, "--out", Path.Combine(folder, "out"));

        Assert.True(exit == 0, err);
        Assert.Contains("support-policy: ", output);
        if (Environment.GetEnvironmentVariable("INFERCOST_UPDATE_GOLDEN") == "1")
        {
            var source = Path.Combine(AppContext.BaseDirectory, "../../../../fixtures/golden");
            File.WriteAllText(Path.Combine(source, "hardware-procurement-matrix.md"), Output(folder, "hardware-procurement-matrix.md"));
            File.WriteAllText(Path.Combine(source, "hardware-procurement-matrix.json"), Output(folder, "hardware-procurement-matrix.json"));
        }
        Assert.Equal(File.ReadAllText(Golden("hardware-procurement-matrix.md")), Output(folder, "hardware-procurement-matrix.md"));
        Assert.Equal(File.ReadAllText(Golden("hardware-procurement-matrix.json")), Output(folder, "hardware-procurement-matrix.json"));

        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal(0, CliRunner.Run("procure", traces, "--profile", profile, "--out", Path.Combine(folder, "out")).Exit);
            Assert.Equal(File.ReadAllText(Golden("hardware-procurement-matrix.md")), Output(folder, "hardware-procurement-matrix.md"));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void The_json_has_the_schema_and_five_gates_per_workload_with_statuses_from_the_issue()
    {
        var (folder, traces, profile) = Example();
        Assert.Equal(0, CliRunner.Run("procure", traces, "--profile", profile, "--out", Path.Combine(folder, "out")).Exit);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "out", "hardware-procurement-matrix.json")));
        var root = json.RootElement;
        Assert.Equal("infercost.procurement/v1", root.GetProperty("schema").GetString());
        var gates = root.GetProperty("gates").EnumerateArray().ToList();
        Assert.Equal(4 * 5, gates.Count);
        Assert.All(gates, g => Assert.Contains(g.GetProperty("status").GetString(), new[] { "pass", "warn", "fail", "insufficient-evidence" }));
        Assert.Equal(5, root.GetProperty("readiness").GetArrayLength());
        Assert.Equal(4, root.GetProperty("recommendations").GetArrayLength());
        // browser-extraction's demand (660 requests a day in a few bursts) is bursty: the demand gate fails with the seed's text.
        var demand = gates.Single(g => g.GetProperty("workload").GetString() == "browser-extraction" && g.GetProperty("gate").GetString() == "Demand shape");
        Assert.Equal("fail", demand.GetProperty("status").GetString());
        Assert.Equal("Teams reserve expensive capacity for a workload that could have stayed serverless or batched.", demand.GetProperty("failureIfSkipped").GetString());
    }

    [Fact]
    public void A_malformed_profile_gives_line_numbered_errors_exit_1_and_writes_nothing()
    {
        var (folder, traces, profile) = Example("""
            workloads:
              - name: support-policy
                targetP95Ms: soon
                demand: [1, 2]
            capacity:
              gpus: 2
            """);

        var (exit, _, err) = CliRunner.Run("procure", traces, "--profile", profile, "--out", Path.Combine(folder, "out"));

        Assert.Equal(1, exit);
        Assert.Contains($"{profile}, line 3, column 18 (workloads[0].targetP95Ms): value \"soon\" must be a number", err);
        Assert.Contains($"{profile}, line 4, column 13 (workloads[0].demand): has 2 values; it needs 24", err);
        Assert.Contains($"{profile}, line 6, column 3 (capacity.gpus): is not a known key here; did you mean 'gpu'?", err);
        Assert.DoesNotContain("   at ", err);
        Assert.False(Directory.Exists(Path.Combine(folder, "out")));
    }

    [Fact]
    public void Bad_yaml_gives_its_line_and_exit_1()
    {
        var (folder, traces, profile) = Example("workloads:\n  - name: a\n   targetP95Ms: [1\n");

        var (exit, _, err) = CliRunner.Run("procure", traces, "--profile", profile, "--out", Path.Combine(folder, "out"));

        Assert.Equal(1, exit);
        Assert.Matches(@"profile\.yaml, line \d+, column \d+ \(YAML\): is not valid YAML", err);
    }

    [Fact]
    public void A_missing_profile_is_an_environment_error()
    {
        var (folder, traces, _) = Example();
        var (exit, _, err) = CliRunner.Run("procure", traces, "--profile", Path.Combine(folder, "nope.yaml"), "--out", Path.Combine(folder, "out"));
        Assert.Equal(3, exit);
        Assert.Contains("no such profile file", err);
    }

    [Fact]
    public void A_demand_file_next_to_the_profile_gives_the_histogram()
    {
        var (folder, traces, profile) = Example("workloads:\n  - name: browser-extraction\n    demandFile: demand.csv\n");
        File.WriteAllText(Path.Combine(folder, "demand.csv"), string.Join("\n", Enumerable.Range(0, 24).Select(h => h == 10 ? "240" : "0")) + "\n");

        var (exit, _, err) = CliRunner.Run("procure", traces, "--profile", profile, "--out", Path.Combine(folder, "out"));

        Assert.True(exit == 0, err);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "out", "hardware-procurement-matrix.json")));
        var workload = json.RootElement.GetProperty("workloads").EnumerateArray().Single(w => w.GetProperty("workload").GetString() == "browser-extraction");
        Assert.Equal("demand.csv", workload.GetProperty("demandSource").GetString());
        Assert.Equal(24.0, workload.GetProperty("demand").GetProperty("peakToMeanRatio").GetDouble(), 9);
    }

    [Fact]
    public void The_report_includes_the_matrix_when_given_a_profile()
    {
        var (folder, traces, profile) = Example();

        var (exit, _, err) = CliRunner.Run("report", traces, "--profile", profile, "--out", Path.Combine(folder, "report"));

        Assert.True(exit == 0, err);
        var markdown = File.ReadAllText(Path.Combine(folder, "report", "report.md"));
        Assert.Contains("## Hardware procurement matrix", markdown);
        Assert.Contains("### Route stage per workload", markdown);
        Assert.Contains("id=\"procurement\"", File.ReadAllText(Path.Combine(folder, "report", "report.html")));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "report", "report.json")));
        Assert.Equal("infercost.procurement/v1", json.RootElement.GetProperty("procurement").GetProperty("schema").GetString());

        Assert.Equal(0, CliRunner.Run("report", traces, "--out", Path.Combine(folder, "plain")).Exit);
        using var plain = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "plain", "report.json")));
        Assert.False(plain.RootElement.TryGetProperty("procurement", out _));
    }

    [Fact]
    public void Kit_init_writes_the_example_profile()
    {
        var folder = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run("kit", "init", "--out", folder).Exit);
        Assert.Equal(KitArtifacts.ExampleProfile(), File.ReadAllText(Path.Combine(folder, "profile.yaml")));
        Assert.StartsWith("# InferCost buyer profile", KitArtifacts.ExampleProfile());
    }
}
