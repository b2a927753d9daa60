using System.Text.Json;

namespace InferCost.Cli.Tests;

public class ReportTests
{
    private static string Golden(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "golden", name);

    /// <summary>The demo's output with the run's temporary folder replaced by the default folder name.</summary>
    private static string DemoFile(string folder, string name) =>
        File.ReadAllText(Path.Combine(folder, "report", name)).Replace(folder, "infercost-demo", StringComparison.Ordinal);

    [Fact]
    public void The_demo_report_matches_the_golden_markdown_and_json()
    {
        var folder = CliRunner.TempFolder();

        var (exit, output, err) = CliRunner.Run("demo", "--out", folder);

        Assert.True(exit == 0, err);
        Assert.Contains("report.html", output);
        if (Environment.GetEnvironmentVariable("INFERCOST_UPDATE_GOLDEN") == "1")
        {
            var source = Path.Combine(AppContext.BaseDirectory, "../../../../fixtures/golden");
            File.WriteAllText(Path.Combine(source, "report.md"), DemoFile(folder, "report.md"));
            File.WriteAllText(Path.Combine(source, "report.json"), DemoFile(folder, "report.json"));
        }
        Assert.Equal(File.ReadAllText(Golden("report.md")), DemoFile(folder, "report.md"));
        Assert.Equal(File.ReadAllText(Golden("report.json")), DemoFile(folder, "report.json"));
    }

    [Fact]
    public void The_demo_headline_is_what_the_example_data_was_built_to_show()
    {
        var folder = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run("demo", "--out", folder).Exit);

        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "report", "report.json")));
        var headlines = report.RootElement.GetProperty("headlines").EnumerateArray().ToDictionary(h => h.GetProperty("workload").GetString()!);
        Assert.Equal(JsonValueKind.Null, headlines["browser-extraction"].GetProperty("best").ValueKind);
        Assert.Contains("no measured group meets the p95 target of 2,500 ms", headlines["browser-extraction"].GetProperty("reason").GetString());
        // support-policy: frontier-mini (0.0041 + 0.9 min × $1) / 0.91 beats the dedicated endpoint's (0.0052 + 1.2) / 0.86
        var support = headlines["support-policy"].GetProperty("best");
        Assert.Equal("Managed frontier API", support.GetProperty("route").GetString());
        Assert.Equal((double)((0.0041m + 0.9m) / 0.91m), support.GetProperty("costPerAcceptedOutputUsd").GetDouble(), 8);
        Assert.Equal("Dedicated endpoint", headlines["support-policy"].GetProperty("runnerUp").GetProperty("route").GetString());
        // The demo also runs the procurement matrix on the kit's example profile, and the report carries it.
        using var matrix = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "procurement", "hardware-procurement-matrix.json")));
        Assert.Equal("infercost.procurement/v1", matrix.RootElement.GetProperty("schema").GetString());
        Assert.Equal(4, matrix.RootElement.GetProperty("recommendations").GetArrayLength());
        Assert.Equal(JsonValueKind.Object, report.RootElement.GetProperty("procurement").ValueKind);
    }

    [Fact]
    public void The_demo_ledger_holds_no_placeholder_models_and_its_runner_ups_are_real_rivals()
    {
        var folder = CliRunner.TempFolder();
        var (exit, output, err) = CliRunner.Run("demo", "--out", folder);
        Assert.True(exit == 0, err);

        // The seed's template (models such as frontier-reasoning-model-id, no requests) stays in the kit.
        Assert.True(File.Exists(Path.Combine(folder, "kit", "trace-template.csv")));
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "report", "report.json")));
        var models = report.RootElement.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("model").GetString()!).ToList();
        Assert.DoesNotContain(models, m => m.EndsWith("-model-id", StringComparison.Ordinal));
        Assert.Equal(27, models.Count == 0 ? 0 : report.RootElement.GetProperty("inputs").EnumerateArray().Sum(i => i.GetProperty("rows").GetInt64()));
        foreach (var h in report.RootElement.GetProperty("headlines").EnumerateArray().Where(h => h.GetProperty("best").ValueKind == JsonValueKind.Object))
        {
            Assert.NotEqual(h.GetProperty("best").GetProperty("model").GetString(), h.GetProperty("runnerUp").GetProperty("model").GetString());
            Assert.True(h.GetProperty("savingVsRunnerUpShare").GetDouble() > 0.2, h.GetProperty("workload").GetString());
            // Every demo row carries requests, and the intervals are far apart: settled, never "unknown".
            Assert.True(h.GetProperty("rankingSettled").GetBoolean(), h.GetProperty("ranking").GetString());
        }
        Assert.DoesNotContain("ranking unknown", output);
        Assert.DoesNotContain("0% cheaper", output.Replace("10% cheaper", "", StringComparison.Ordinal));
    }

    [Fact]
    public void The_report_states_the_formula_and_json_gives_both_the_headline_and_the_playbooks_literal_value()
    {
        var folder = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run("demo", "--out", folder).Exit);

        const string formula = "costPerAcceptedOutput = (costUsd + reviewMinutes/60 × reviewer $/h) / acceptedOutputRate";
        foreach (var name in new[] { "report.md", "report.html" })
        {
            var text = System.Net.WebUtility.HtmlDecode(File.ReadAllText(Path.Combine(folder, "report", name)));
            Assert.Contains(formula, text);
            Assert.Contains("costUsd / acceptedOutputRate + reviewer time cost", text);
        }
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "report", "report.json")));
        // support-policy frontier-mini: costUsd 0.0041, 0.9 review minutes at $60/h, acceptance 0.91.
        var group = report.RootElement.GetProperty("groups").EnumerateArray()
            .First(g => g.GetProperty("model").GetString() == "frontier-mini" && g.GetProperty("workload").GetString() == "support-policy");
        Assert.Equal((double)((0.0041m + 0.9m) / 0.91m), group.GetProperty("costPerAcceptedOutputUsd").GetDouble(), 8);
        Assert.Equal((double)(0.0041m / 0.91m + 0.9m), group.GetProperty("playbookCostPerAcceptedOutputUsd").GetDouble(), 1e-8); // money has nine places
        Assert.Contains("1/acceptedOutputRate", report.RootElement.GetProperty("assumptions").GetProperty("formulaDifference").GetString());
    }

    [Fact]
    public void The_readme_states_the_formula_and_points_at_no_file_outside_the_repository()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "InferCost.slnx")))
        {
            root = Path.GetDirectoryName(root)!;
        }
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        Assert.Contains("costPerAcceptedOutput = (costUsd + reviewMinutes/60 × reviewer $/h) / acceptedOutputRate", readme);
        Assert.Contains("playbookCostPerAcceptedOutputUsd", readme);
        Assert.DoesNotContain("../shared/", readme);
        Assert.DoesNotContain("DESIGN.md", readme);
    }

    [Fact]
    public void Empty_sections_say_why_and_a_chart_names_the_groups_it_leaves_out()
    {
        var folder = CliRunner.TempFolder();
        // One per-token route only: no capacity route can be priced, so there is no break-even to tabulate.
        var file = Path.Combine(folder, "one.csv");
        File.WriteAllText(file, "route,provider,model,workload,inputTokens,outputTokens,cacheHitRate,batchEligible,concurrency,ttftMs,latencyP50Ms,latencyP95Ms,outputTokensPerSecond,acceptedOutputRate,costUsd,reviewMinutes,requests\n" +
            "managed,OpenAI,gpt-4.1-mini,w,1000,100,0,false,4,100,200,300,50,0.9,0.000588,0,100\n" +
            "managed,OpenAI,gpt-4.1-mini,w,1000,100,0,false,8,100,200,300,50,0,0.000588,0,100\n");

        Assert.Equal(0, CliRunner.Run("report", file, "--out", Path.Combine(folder, "report")).Exit);

        var md = File.ReadAllText(Path.Combine(folder, "report", "report.md"));
        var html = File.ReadAllText(Path.Combine(folder, "report", "report.html"));
        Assert.Contains("- **w**: no break-even: no capacity route could be priced", md);
        Assert.DoesNotContain("| capacity route | against | break-even |", md);
        Assert.Contains("no break-even: no capacity route could be priced", html);
        Assert.DoesNotContain("<th>capacity route</th>", html);
        // The concurrency-8 group accepted nothing: it has no cost, so its bar is missing, and the chart says so.
        Assert.Contains("<figcaption>Not drawn: Managed frontier API &#183; gpt-4.1-mini &#183; c=8: acceptedOutputRate is 0", html);
    }

    [Fact]
    public void Rows_above_the_p95_target_are_marked_in_every_table_of_the_report_and_the_cli()
    {
        var folder = CliRunner.TempFolder();
        var file = Path.Combine(folder, "two.csv");
        // Target 1,000 ms: c=4 (p95 300 ms) meets it, c=8 (p95 1,500 ms) does not.
        File.WriteAllText(file, "route,provider,model,workload,inputTokens,outputTokens,cacheHitRate,batchEligible,concurrency,ttftMs,latencyP50Ms,latencyP95Ms,outputTokensPerSecond,acceptedOutputRate,costUsd,reviewMinutes,requests,targetP95Ms\n" +
            "managed,OpenAI,gpt-4.1-mini,w,1000,100,0,false,4,100,200,300,50,0.9,0.000588,0,100,1000\n" +
            "managed,OpenAI,gpt-4.1-mini,w,1000,100,0,false,8,100,200,1500,50,0.9,0.000588,0,100,1000\n");

        Assert.Equal(0, CliRunner.Run("report", file, "--out", Path.Combine(folder, "report")).Exit);
        var (exit, table, _) = CliRunner.Run("metrics", file);

        Assert.Equal(0, exit);
        var md = File.ReadAllText(Path.Combine(folder, "report", "report.md")).Split('\n');
        Assert.Contains(md, l => l.StartsWith("| w | Managed frontier API | OpenAI | gpt-4.1-mini | 8 |", StringComparison.Ordinal) && l.Contains("✗ 1,500 ms, above 1,000 ms", StringComparison.Ordinal));
        Assert.Contains(md, l => l.StartsWith("| w | Managed frontier API | gpt-4.1-mini | 8 | ✗ 1,500 ms", StringComparison.Ordinal));
        Assert.Contains(md, l => l.StartsWith("| w | Managed frontier API | OpenAI | gpt-4.1-mini | 4 |", StringComparison.Ordinal) && l.EndsWith("| meets |", StringComparison.Ordinal));
        var html = File.ReadAllText(Path.Combine(folder, "report", "report.html"));
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(html, "<tr class=\"miss\">").Count); // one row in each route table
        Assert.Contains("gpt-4.1-mini · c=8 ✗", System.Net.WebUtility.HtmlDecode(html)); // the bar chart's label
        var rows = table.Split('\n').Where(l => l.StartsWith("w ", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain("✗", rows.Single(l => l.Contains(" 4 ", StringComparison.Ordinal)));
        Assert.Contains("✗ 1,500 ms", rows.Single(l => l.Contains(" 8 ", StringComparison.Ordinal)));
        Assert.Contains("✗ p95 above the workload's target", table);
    }

    [Fact]
    public void User_strings_are_escaped_in_html_and_svg()
    {
        var folder = CliRunner.TempFolder();
        var file = Path.Combine(folder, "evil.csv");
        File.WriteAllText(file, File.ReadAllLines(CliRunner.Fixture("contract/template.csv"))[0] +
            "\nmanaged,\"<img src=x onerror=alert(2)>\",<script>alert(1)</script>,w&<b>,100,10,0,false,1,10,20,30,5,0.5,0.01,1\n");

        var (exit, _, err) = CliRunner.Run("report", file, "--out", Path.Combine(folder, "out"));

        Assert.True(exit == 0, err);
        var html = File.ReadAllText(Path.Combine(folder, "out", "report.html"));
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<img", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotContain("<script>", File.ReadAllText(Path.Combine(folder, "out", "report.md")));
    }

    [Fact]
    public void The_html_is_one_file_with_no_external_references()
    {
        var folder = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run("demo", "--out", folder).Exit);

        var html = File.ReadAllText(Path.Combine(folder, "report", "report.html"));

        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        Assert.DoesNotContain("<script", html);
        Assert.Equal(16, System.Text.RegularExpressions.Regex.Count(html, "<svg ")); // 4 charts (cost curve included) × 4 workloads
    }
}
