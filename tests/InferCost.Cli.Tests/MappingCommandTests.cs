using System.Globalization;
using System.Text.Json;

namespace InferCost.Cli.Tests;

/// <summary><c>--mapping</c> on import, rollup and the commands that read files directly (metrics, report, curve,
/// procure): the fields a log lacks, per model, declared line by line; a bad mapping stops the command before
/// anything is read or written.</summary>
public sealed class MappingCommandTests
{
    private static readonly string Log = CliRunner.Fixture("importers/mapping/litellm-three-models.csv");
    private static readonly string Models = CliRunner.Fixture("importers/mapping/models.json");

    /// <summary>Route, provider, workload and p95 of each model's group in metrics JSON.</summary>
    private static Dictionary<string, (string? Route, string? Provider, string? Workload, double P95)> GroupsByModel(string metricsJson)
    {
        using var json = JsonDocument.Parse(metricsJson);
        return json.RootElement.GetProperty("groups").EnumerateArray()
            .ToDictionary(g => g.GetProperty("model").GetString()!, g => (g.GetProperty("route").GetString(), g.GetProperty("provider").GetString(),
                g.GetProperty("workload").GetString(), g.GetProperty("latencyP95Ms").GetDouble()));
    }

    [Fact]
    public void Import_with_a_mapping_declares_each_filled_field_and_its_source()
    {
        var folder = CliRunner.TempFolder();
        var ledger = Path.Combine(folder, "l.duckdb");

        var (exit, output, error) = CliRunner.Run("import", Log, "--mapping", Models, "--ledger", ledger);

        Assert.Equal(0, exit);
        Assert.Contains("imported 5 events (litellm", output);
        var filled = Assert.Single(output.Split('\n'), l => l.Contains("filled, not read from the file", StringComparison.Ordinal));
        Assert.Equal($"{Log}: filled, not read from the file: provider (mapping {Models}, model llama-3.1-70b); route (mapping {Models} defaults); " +
                     $"route (mapping {Models}, model gpt-4o-mini); route (mapping {Models}, model llama-3.1-70b); workload (mapping {Models} defaults); " +
                     $"workload (mapping {Models}, model gpt-4o-mini); workload (mapping {Models}, model llama-3.1-70b)", filled);
        Assert.Contains($"warning: {Log}, field model: value \"qwen2.5-7b\" has no entry in mapping {Models}", error);

        // The ledger holds the mapped fields: gpt-4o-mini on the managed route (its provider, azure, read from the log),
        // with p95 over 800 and 1500 ms: h = 0.95 → 800 + 0.95 × 700 = 1465 ms.
        var metrics = CliRunner.Run("metrics", "--ledger", ledger, "--format", "json", "--by", "route,provider,model,workload");
        Assert.Equal(0, metrics.Exit);
        var groups = GroupsByModel(metrics.Out);
        Assert.Equal(("Managed frontier API", "azure", "support"), (groups["gpt-4o-mini"].Route, groups["gpt-4o-mini"].Provider, groups["gpt-4o-mini"].Workload));
        Assert.Equal(1465, groups["gpt-4o-mini"].P95, 9);
        Assert.Equal(("Hosted open-weight serverless", "together", "triage"), (groups["llama-3.1-70b"].Route, groups["llama-3.1-70b"].Provider, groups["llama-3.1-70b"].Workload));
        Assert.Equal(("Self-hosted GPU stack", "hosted_vllm", "support"), (groups["qwen2.5-7b"].Route, groups["qwen2.5-7b"].Provider, groups["qwen2.5-7b"].Workload));
    }

    [Fact]
    public void Metrics_on_a_log_takes_the_mapping_and_declares_the_fills_beside_its_json()
    {
        var (exit, output, error) = CliRunner.Run("metrics", Log, "--mapping", Models, "--input-format", "litellm", "--format", "json", "--by", "route,provider,model,workload");

        Assert.Equal(0, exit);
        // The declaration goes to the error stream, so the output stays one JSON document.
        Assert.Contains($"{Log}: filled, not read from the file: provider (mapping {Models}, model llama-3.1-70b)", error);
        var groups = GroupsByModel(output);
        // As imported into a ledger (above): gpt-4o-mini's p95 over 800 and 1500 ms is 800 + 0.95 × 700 = 1465 ms.
        Assert.Equal(("Managed frontier API", "azure", "support"), (groups["gpt-4o-mini"].Route, groups["gpt-4o-mini"].Provider, groups["gpt-4o-mini"].Workload));
        Assert.Equal(1465, groups["gpt-4o-mini"].P95, 9);
        Assert.Equal(("Hosted open-weight serverless", "together", "triage"), (groups["llama-3.1-70b"].Route, groups["llama-3.1-70b"].Provider, groups["llama-3.1-70b"].Workload));
    }

    [Fact]
    public void A_mapping_given_for_the_ledger_is_a_usage_error_not_silently_ignored()
    {
        var folder = CliRunner.TempFolder();
        var ledger = Path.Combine(folder, "l.duckdb");
        Assert.Equal(0, CliRunner.Run("import", Log, "--mapping", Models, "--ledger", ledger).Exit);

        var (exit, output, error) = CliRunner.Run("report", "--ledger", ledger, "--mapping", Models, "--out", Path.Combine(folder, "r"));

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal("--mapping applies to trace files named on the command line; the ledger's events were filled in when they were imported.", error.Trim());
        Assert.False(Directory.Exists(Path.Combine(folder, "r")));
        var both = CliRunner.Run("metrics", "--ledger", ledger, "--input-format", "litellm", "--mapping", Models);
        Assert.Equal(2, both.Exit);
        Assert.StartsWith("--input-format and --mapping apply to trace files", both.Err.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void Flag_and_mapping_fills_are_listed_side_by_side()
    {
        var folder = CliRunner.TempFolder();
        var mapping = Path.Combine(folder, "map.json");
        File.WriteAllText(mapping, """{"defaults": {"provider": "vllm", "workload": "chat"}, "models": {"meta-llama/Llama-3.1-8B-Instruct": {"route": "self-hosted"}}}""");

        var (exit, output, _) = CliRunner.Run("import", CliRunner.Fixture("importers/vllm-bench/result-detailed.json"), "--ledger", Path.Combine(folder, "l.duckdb"),
            "--mapping", mapping, "--route", "managed", "--workload", "support");

        Assert.Equal(0, exit);
        var filled = Assert.Single(output.Split('\n'), l => l.Contains("filled, not read from the file", StringComparison.Ordinal));
        // The model's entry beats --route; --workload beats the defaults; the provider comes from the defaults.
        Assert.Contains($"route (mapping {mapping}, model meta-llama/Llama-3.1-8B-Instruct)", filled);
        Assert.Contains("workload (--workload)", filled);
        Assert.Contains($"provider (mapping {mapping} defaults)", filled);
        Assert.DoesNotContain("route (--route)", filled);
    }

    [Fact]
    public void Rollup_takes_the_mapping_and_prints_the_same_under_a_comma_decimal_culture()
    {
        string invariant, german, error;
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en-US");
            (_, invariant, error) = CliRunner.Run("rollup", Log, "--mapping", Models, "--by", "route,model", "--format", "csv");
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            german = CliRunner.Run("rollup", Log, "--mapping", Models, "--by", "route,model", "--format", "csv").Out;
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        Assert.Equal(invariant, german);
        Assert.Contains($"route (mapping {Models}, model llama-3.1-70b)", error);
        var lines = invariant.TrimEnd('\n').Split('\n');
        Assert.Equal(4, lines.Length); // header + one row per model
        string Row(string model) => Assert.Single(lines, l => l.Contains("," + model + ",", StringComparison.Ordinal));
        // gpt-4o-mini: 2 requests, mean 1000 input and 150 output tokens; p50 over 800 and 1500 ms is 1150, p95 1465.
        Assert.StartsWith("Managed frontier API,azure,gpt-4o-mini,support,1000,150,", Row("gpt-4o-mini"));
        Assert.Contains(",1150,1465,", Row("gpt-4o-mini"));
        Assert.StartsWith("Hosted open-weight serverless,together,llama-3.1-70b,triage,", Row("llama-3.1-70b"));
        Assert.StartsWith("Self-hosted GPU stack,hosted_vllm,qwen2.5-7b,support,", Row("qwen2.5-7b"));
    }

    [Fact]
    public void A_missing_mapping_is_an_io_error_and_nothing_is_imported()
    {
        var folder = CliRunner.TempFolder();
        var ledger = Path.Combine(folder, "l.duckdb");
        var missing = Path.Combine(folder, "nope.json");

        var (exit, output, error) = CliRunner.Run("import", Log, "--mapping", missing, "--ledger", ledger);

        Assert.Equal(3, exit);
        Assert.Equal($"{missing}: no such file.\n", error);
        Assert.Empty(output);
        Assert.False(File.Exists(ledger));
        Assert.Equal(3, CliRunner.Run("import", Log, "--mapping", folder, "--ledger", ledger).Exit); // a directory
    }

    [Theory]
    [InlineData("{\n  \"defaults\": {\"route\": \"managed\"}\n  \"models\": {}\n}", ", line 3, column 3: is not valid JSON: ")]
    [InlineData("{\"models\": {\n  \"llama-3.1-70b\": {\"route\": \"cloud\"}}}",
        ", line 2, column 30 (models.llama-3.1-70b.route): value \"cloud\" is not a known route; use one of: Managed frontier API, ")]
    [InlineData("{\"models\": [\"gpt-4o-mini\"]}", ", line 1, column 12 (models): value \"[\\\"gpt-4o-mini\\\"]\" must be an object keyed by model name")]
    [InlineData("{\"models\": {\"m\": {\"route\": 7}}}", ", line 1, column 28 (models.m.route): value \"7\" must be a non-empty string.")]
    [InlineData("{\"defaults\": {\"team\": \"infra\"}}", ", line 1, column 23 (defaults.team): is not a mapping key; an entry may give route, workload or provider.")]
    public void A_bad_mapping_is_one_sentence_exit_1_and_nothing_is_imported(string content, string expected)
    {
        var folder = CliRunner.TempFolder();
        var mapping = Path.Combine(folder, "map.json");
        File.WriteAllText(mapping, content);
        var ledger = Path.Combine(folder, "l.duckdb");

        var import = CliRunner.Run("import", Log, "--mapping", mapping, "--ledger", ledger);
        var rollup = CliRunner.Run("rollup", Log, "--mapping", mapping);

        Assert.Equal((1, 1), (import.Exit, rollup.Exit));
        var sentence = Assert.Single(import.Err.TrimEnd('\n').Split('\n'));
        Assert.StartsWith(mapping + expected, sentence);
        Assert.DoesNotContain("   at ", sentence); // no stack trace
        Assert.Equal(import.Err, rollup.Err);
        Assert.Empty(import.Out);
        Assert.False(File.Exists(ledger));
    }
}
