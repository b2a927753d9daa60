using System.Globalization;
using System.Text.Json;

namespace InferCost.Cli.Tests;

public class ContractCommandTests
{
    [Fact]
    public void Validate_exits_1_and_prints_one_sentence_with_file_line_column_and_value()
    {
        var file = CliRunner.Fixture("contract/rate-above-one.csv");

        var (exit, _, err) = CliRunner.Run("validate", file);

        Assert.Equal(1, exit);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"{file}, line 3, column 7 (cacheHitRate): value \"1.7\" is a rate and must lie between 0 and 1.", line);
    }

    [Fact]
    public void Validate_json_follows_the_validation_schema()
    {
        var (exit, output, _) = CliRunner.Run("validate", CliRunner.Fixture("contract/template.csv"), CliRunner.Fixture("contract/p95-below-p50.csv"), "--format", "json");

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("infercost.validation/v1", json.RootElement.GetProperty("schema").GetString());
        Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
        var files = json.RootElement.GetProperty("files");
        Assert.Equal(0, files[0].GetProperty("errors").GetArrayLength());
        var error = files[1].GetProperty("errors")[0];
        Assert.Equal(3, error.GetProperty("line").GetInt32());
        Assert.Equal("latencyP95Ms", error.GetProperty("column").GetString());
        Assert.Equal("6000", error.GetProperty("value").GetString());
    }

    [Fact]
    public void A_missing_file_is_exit_3_and_a_bad_flag_is_exit_2()
    {
        Assert.Equal(3, CliRunner.Run("validate", "/no/such/file.csv").Exit);
        var (exit, _, err) = CliRunner.Run("validate", "--format", "yaml", CliRunner.Fixture("contract/template.csv"));
        Assert.Equal(2, exit);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void Kit_init_writes_the_four_artifacts_and_the_example_profile_and_refuses_to_overwrite_without_force()
    {
        var folder = CliRunner.TempFolder();

        Assert.Equal(0, CliRunner.Run("kit", "init", "--out", folder).Exit);
        var again = CliRunner.Run("kit", "init", "--out", folder);
        var forced = CliRunner.Run("kit", "init", "--out", folder, "--force");

        Assert.Equal(["manifest.json", "profile.yaml", "runbook.md", "trace-schema.json", "trace-template.csv"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        Assert.Equal(1, again.Exit);
        Assert.Contains("--force", again.Err);
        Assert.Equal(0, forced.Exit);
        // The template validates, and holds the seed's three rows under the 16 seed fields.
        var template = Path.Combine(folder, "trace-template.csv");
        Assert.Equal(0, CliRunner.Run("validate", template).Exit);
        var lines = File.ReadAllLines(template);
        Assert.Equal(4, lines.Length);
        Assert.Equal(16, lines[0].Split(',').Length);
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "trace-schema.json")));
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.RootElement.GetProperty("$schema").GetString());
        Assert.Equal(16, schema.RootElement.GetProperty("required").GetArrayLength());
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        Assert.Equal(5, manifest.RootElement.GetProperty("metrics").GetArrayLength());
        Assert.Contains("inside", File.ReadAllText(Path.Combine(folder, "runbook.md"))); // the cached-tokens pitfall
    }

    [Fact]
    public void Import_is_all_or_nothing_and_reimport_says_nothing_new()
    {
        var ledger = Path.Combine(CliRunner.TempFolder(), "l.duckdb");
        var good = CliRunner.Fixture("contract/template.csv");

        var rejected = CliRunner.Run("import", good, CliRunner.Fixture("contract/nan.csv"), "--ledger", ledger);
        var first = CliRunner.Run("import", good, "--ledger", ledger);
        var second = CliRunner.Run("import", good, "--ledger", ledger);
        var info = CliRunner.Run("ledger", "info", "--ledger", ledger, "--format", "json");

        Assert.Equal(1, rejected.Exit);
        Assert.Contains("Nothing was imported", rejected.Err);
        Assert.Equal(0, first.Exit);
        Assert.Equal(0, second.Exit);
        Assert.Contains("Nothing new", second.Out);
        using var json = JsonDocument.Parse(info.Out);
        Assert.Equal(3, json.RootElement.GetProperty("totalRows").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("imports").GetArrayLength());
    }

    [Fact]
    public void A_ledger_that_is_not_duckdb_is_exit_3_with_one_sentence()
    {
        var ledger = Path.Combine(CliRunner.TempFolder(), "not-a-ledger.duckdb");
        File.WriteAllText(ledger, new string('x', 5000));

        var (exit, _, err) = CliRunner.Run("import", CliRunner.Fixture("contract/template.csv"), "--ledger", ledger);

        Assert.Equal(3, exit);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("not a DuckDB database file", err);
        Assert.Equal(new string('x', 5000), File.ReadAllText(ledger));
    }

    [Fact]
    public void Zero_acceptance_is_null_with_a_reason_in_json_and_csv()
    {
        var file = Path.Combine(CliRunner.TempFolder(), "zero.csv");
        File.WriteAllText(file, File.ReadAllLines(CliRunner.Fixture("contract/template.csv"))[0] + "\nmanaged,p,m,w,100,10,0,false,1,10,20,30,5,0,0.01,1\n");

        var json = CliRunner.Run("metrics", file, "--format", "json");
        var csv = CliRunner.Run("metrics", file, "--format", "csv");

        Assert.Equal(0, json.Exit);
        Assert.DoesNotContain("NaN", json.Out);
        Assert.DoesNotContain("Infinity", json.Out);
        using var doc = JsonDocument.Parse(json.Out);
        var group = doc.RootElement.GetProperty("groups")[0];
        Assert.Equal(JsonValueKind.Null, group.GetProperty("costPerAcceptedOutputUsd").ValueKind);
        Assert.Contains("acceptedOutputRate is 0", group.GetProperty("costReason").GetString());
        var header = csv.Out.Split('\n')[0].Split(',');
        var cells = csv.Out.Split('\n')[1].Split(',');
        Assert.Equal(string.Empty, cells[Array.IndexOf(header, "costPerAcceptedOutputUsd")]);
        Assert.Contains("acceptedOutputRate is 0", csv.Out.Split('\n')[1]);
    }

    [Fact]
    public void Metrics_on_invalid_files_exits_1_with_the_validation_errors()
    {
        var (exit, _, err) = CliRunner.Run("metrics", CliRunner.Fixture("contract/boolean-maybe.csv"));

        Assert.Equal(1, exit);
        Assert.Contains("line 3, column 8 (batchEligible)", err);
    }

    [Fact]
    public void The_cli_prints_the_same_under_a_comma_decimal_culture()
    {
        var file = CliRunner.Fixture("contract/template.csv");
        var previous = CultureInfo.CurrentCulture;
        string invariant, german;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en-US");
            invariant = CliRunner.Run("metrics", file, "--format", "json").Out + CliRunner.Run("metrics", file).Out;
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            german = CliRunner.Run("metrics", file, "--format", "json").Out + CliRunner.Run("metrics", file).Out;
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        Assert.Equal(invariant, german);
        Assert.Contains("4.4226", german); // (0.215 + 3.5) / 0.84, with a decimal point
    }
}
