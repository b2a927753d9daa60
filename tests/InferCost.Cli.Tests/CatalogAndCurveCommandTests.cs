using System.Text.Json;

namespace InferCost.Cli.Tests;

public class CatalogAndCurveCommandTests
{
    private const string Header = "route,provider,model,workload,inputTokens,outputTokens,cacheHitRate,batchEligible,concurrency,ttftMs,latencyP50Ms,latencyP95Ms,outputTokensPerSecond,acceptedOutputRate,costUsd,reviewMinutes,gpuType,gpuCount,gpuHourUsd";

    private static string Write(string csv)
    {
        var path = Path.Combine(CliRunner.TempFolder(), "traces.csv");
        File.WriteAllText(path, csv);
        return path;
    }

    /// <summary>A per-token route at $0.02 per accepted output and a dedicated endpoint on one $4/GPU-hour GPU
    /// serving 10 accepted outputs a second (100 tok/s × 10 streams ÷ 100 tokens), no review time.</summary>
    private static string TwoRoutes() => Write(Header + "\n" +
        "managed,OpenAI,frontier-mini,w,1000,100,0,false,4,100,200,300,50,1,0.02,0,,,\n" +
        "dedicated,Fireworks,open-70b,w,1000,100,0,false,10,100,200,300,100,1,0.001,0,H100,1,4\n");

    [Fact]
    public void Curve_json_has_the_hand_computed_break_even_of_two_routes()
    {
        var (exit, output, err) = CliRunner.Run("curve", "--workload", "w", TwoRoutes(), "--format", "json");

        Assert.True(exit == 0, err);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("infercost.curve/v1", root.GetProperty("schema").GetString());
        // Self-hosted and owned hardware are modeled from the dedicated row's throughput; the measured pair is the hand-computed one.
        var breakEvens = root.GetProperty("breakEvens").EnumerateArray().ToList();
        Assert.Equal(["Dedicated endpoint", "Self-hosted GPU stack", "Owned hardware"], breakEvens.Select(b => b.GetProperty("route").GetString()));
        var breakEven = breakEvens[0];
        Assert.Equal("Managed frontier API", breakEven.GetProperty("against").GetString());
        Assert.Equal(4.0 * 730 / 0.02, breakEven.GetProperty("monthlyAcceptedOutputs").GetDouble(), 6); // 146,000
        var first = root.GetProperty("points")[0];
        Assert.Equal(1000, first.GetProperty("monthlyAcceptedOutputs").GetDouble());
        Assert.Equal(4m * 730 / 1000, first.GetProperty("routes").GetProperty("Dedicated endpoint").GetProperty("costPerAcceptedOutputUsd").GetDecimal());
        Assert.Equal(0.02m, first.GetProperty("routes").GetProperty("Managed frontier API").GetProperty("costPerAcceptedOutputUsd").GetDecimal());
        Assert.Equal(5, root.GetProperty("sensitivity").GetArrayLength());
        Assert.Contains("gpuHourUsd of the measured rows", root.GetProperty("capacityRoutes")[0].GetProperty("hourlyPriceSource").GetString());
    }

    [Fact]
    public void Curve_svg_and_csv_render_every_route()
    {
        var file = TwoRoutes();

        var svg = CliRunner.Run("curve", "--workload", "w", file, "--format", "svg");
        var csv = CliRunner.Run("curve", "--workload", "w", file, "--format", "csv");

        Assert.Equal(0, svg.Exit);
        Assert.StartsWith("<svg ", svg.Out);
        Assert.Contains("(log scale)", svg.Out);
        Assert.Equal(0, csv.Exit);
        Assert.StartsWith("workload,monthlyAcceptedOutputs,route,costPerAcceptedOutputUsd,monthlyCostUsd,replicas\n", csv.Out);
        Assert.Contains("w,1000,Dedicated endpoint,2.92,2920,1\n", csv.Out);
    }

    [Fact]
    public void An_unknown_workload_is_one_sentence_naming_the_known_ones()
    {
        var (exit, _, err) = CliRunner.Run("curve", "--workload", "nope", TwoRoutes());

        Assert.Equal(1, exit);
        Assert.Equal("The workload \"nope\" is not in files; its workloads are: w.\n", err);
    }

    [Fact]
    public void A_row_without_cost_and_without_a_catalog_price_is_one_error_naming_provider_and_model()
    {
        var file = Write(Header + "\nmanaged,Acme AI,secret-model,w,1000,100,0,false,4,100,200,300,50,1,,0,,,\n");

        var (exit, output, err) = CliRunner.Run("metrics", file);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Equal("No token price for provider \"Acme AI\" model \"secret-model\" (1 row without costUsd) in catalog/prices.json 2026-11-22; add it with --catalog FILE or give costUsd in the traces.\n", err);
    }

    [Fact]
    public void A_users_catalog_prices_rows_without_cost_and_the_group_says_modeled()
    {
        var folder = CliRunner.TempFolder();
        var catalog = Path.Combine(folder, "mine.json");
        File.WriteAllText(catalog, """{ "schema": "infercost.prices/v1", "version": "q4", "tokenPrices": [ { "provider": "Acme AI", "model": "secret-model", "inputUsdPerMTok": 2, "outputUsdPerMTok": 10, "effectiveDate": "2026-10-01", "source": "https://example.com/contract" } ] }""");
        var file = Write(Header + "\nmanaged,Acme AI,secret-model,w,1000,100,0,false,4,100,200,300,50,0.5,,0,,,\n");

        var (exit, output, err) = CliRunner.Run("metrics", file, "--catalog", catalog, "--format", "json");

        Assert.True(exit == 0, err);
        using var json = JsonDocument.Parse(output);
        var group = json.RootElement.GetProperty("groups")[0];
        Assert.Equal("modeled", group.GetProperty("costSource").GetString());
        // (1000 × $2 + 100 × $10) / 1e6 = $0.003 per output; acceptance 0.5 → $0.006 per accepted output.
        Assert.Equal(0.003m, group.GetProperty("costPerOutputUsd").GetDecimal());
        Assert.Equal(0.006m, group.GetProperty("costPerAcceptedOutputUsd").GetDecimal());
        Assert.Contains("mine.json, 2026-10-01, https://example.com/contract", group.GetProperty("priceSources")[0].GetString());
        Assert.Equal(["catalog/prices.json 2026-11-22", $"{catalog} q4"], json.RootElement.GetProperty("assumptions").GetProperty("priceCatalogs").EnumerateArray().Select(e => e.GetString()));

        // The CSV and the table say so too: a costSource column, and an "m" beside the modeled cost.
        var csv = CliRunner.Run("metrics", file, "--catalog", catalog, "--format", "csv").Out.Split('\n');
        var header = csv[0].Split(',');
        var cells = csv[1].Split(',');
        Assert.Equal("modeled", cells[Array.IndexOf(header, "costSource")]);
        Assert.Equal("0.003", cells[Array.IndexOf(header, "modeledCostPerOutputUsd")]);
        var table = CliRunner.Run("metrics", file, "--catalog", catalog).Out;
        Assert.Contains("$0.006 m", table);
        Assert.Contains("m cost modeled from the price catalog", table);
    }

    [Fact]
    public void A_bad_catalog_is_one_sentence_with_line_and_column_and_nothing_is_computed()
    {
        var folder = CliRunner.TempFolder();
        var catalog = Path.Combine(folder, "bad.json");
        File.WriteAllText(catalog, "{\n  \"schema\": \"infercost.prices/v1\",\n  \"gpuOffers\": [ { \"gpuType\": \"h100\", \"provider\": \"X\", \"route\": \"dedicated\", \"kind\": \"hourly\", \"usdPerGpuHour\": 2, \"effectiveDate\": \"2025-01-01\", \"source\": \"https://x.example\" } ]\n}\n");

        var (exit, output, err) = CliRunner.Run("curve", "--workload", "w", TwoRoutes(), "--catalog", catalog);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Equal($"{catalog}, line 3, column 86 (gpuOffers[0].kind): value \"hourly\" must be on-demand, reserved or serverless-per-second.\n", err);
    }

    [Fact]
    public void A_catalog_that_is_not_json_is_exit_1_and_a_missing_one_exit_3()
    {
        var folder = CliRunner.TempFolder();
        var catalog = Path.Combine(folder, "broken.json");
        File.WriteAllText(catalog, "not json");

        var broken = CliRunner.Run("metrics", TwoRoutes(), "--catalog", catalog);
        var missing = CliRunner.Run("metrics", TwoRoutes(), "--catalog", Path.Combine(folder, "absent.json"));

        Assert.Equal(1, broken.Exit);
        // System.Text.Json stops at the "o" of "not": column 2.
        Assert.StartsWith($"{catalog}, line 1, column 2: is not valid JSON", broken.Err);
        Assert.Single(broken.Err.TrimEnd('\n').Split('\n'));
        Assert.Equal(3, missing.Exit);
        Assert.EndsWith("absent.json: no such file.\n", missing.Err);

        // A directory where a flag wants a file: one sentence, exit 3, for --catalog and --demand alike.
        var asCatalog = CliRunner.Run("metrics", TwoRoutes(), "--catalog", folder);
        var asDemand = CliRunner.Run("curve", "--workload", "w", TwoRoutes(), "--demand", folder);
        Assert.Equal((3, $"{folder}: is a directory, not a file.\n"), (asCatalog.Exit, asCatalog.Err));
        Assert.Equal((3, $"{folder}: is a directory, not a file.\n"), (asDemand.Exit, asDemand.Err));
    }

    [Fact]
    public void Catalog_import_writes_chat_prices_and_reports_what_it_skipped()
    {
        var output = Path.Combine(CliRunner.TempFolder(), "imported.json");

        var (exit, stdout, err) = CliRunner.Run("catalog", "import", "--litellm", CliRunner.Fixture("pricing/litellm-small.json"), "--out", output, "--effective-date", "2026-11-01");

        Assert.True(exit == 0, err);
        Assert.Contains("Wrote", stdout);
        Assert.Contains("skipped text-embedding-3-small: mode \"embedding\" is not chat; only chat models are imported.", err);
        Assert.Contains("Imported 3 chat model price(s); skipped 5 entries.", err);
        // The imported file is a catalog the other commands accept.
        var show = CliRunner.Run("catalog", "show", "claude-sonnet-4-20250514", "--catalog", output);
        Assert.True(show.Exit == 0, show.Err);
        using var json = JsonDocument.Parse(show.Out);
        var price = json.RootElement.GetProperty("tokenPrices")[0];
        Assert.Equal(3.75m, price.GetProperty("cacheWriteUsdPerMTok").GetDecimal());
        Assert.Equal("2026-11-01", price.GetProperty("provenance").GetProperty("effectiveDate").GetString());
    }

    [Fact]
    public void Catalog_list_shows_token_prices_gpu_offers_and_owned_hardware()
    {
        var (exit, output, _) = CliRunner.Run("catalog", "list");

        Assert.Equal(0, exit);
        Assert.Contains("gpt-4.1-mini", output);
        Assert.Contains("Dedicated endpoint", output);
        Assert.Contains("MI300X 192GB", output);
        Assert.Contains("Operations: self-hosted 40 engineer hours/month", output);
        var unknown = CliRunner.Run("catalog", "show", "gpt-4.1-minii");
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("close matches: ", unknown.Err);
        Assert.Contains("OpenAI gpt-4.1-mini,", unknown.Err);
    }

    [Fact]
    public void Report_takes_a_demand_shape_and_a_peaked_day_never_needs_fewer_replicas_than_a_flat_one()
    {
        var folder = CliRunner.TempFolder();
        var traces = Path.Combine(folder, "traces.csv");
        File.WriteAllText(traces, InferCost.Core.Kit.ExampleTraces.Csv());
        var peak = Path.Combine(folder, "peak.json");
        File.WriteAllText(peak, "[" + string.Join(",", Enumerable.Repeat("1", 23)) + ",24]");
        var bad = Path.Combine(folder, "bad.json");
        File.WriteAllText(bad, "[1, 2, 3]");

        Assert.Equal(0, CliRunner.Run("report", traces, "--out", Path.Combine(folder, "flat")).Exit);
        Assert.Equal(0, CliRunner.Run("report", traces, "--out", Path.Combine(folder, "peak"), "--demand", peak).Exit);
        var (badExit, _, badErr) = CliRunner.Run("report", traces, "--out", Path.Combine(folder, "bad"), "--demand", bad);

        using var flat = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "flat", "report.json")));
        using var peaked = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "peak", "report.json")));
        var flatCurves = flat.RootElement.GetProperty("costCurves").EnumerateArray().ToList();
        var peakCurves = peaked.RootElement.GetProperty("costCurves").EnumerateArray().ToList();
        Assert.Equal(peak, peakCurves[0].GetProperty("assumptions").GetProperty("demand").GetString());
        int compared = 0, more = 0;
        for (var c = 0; c < flatCurves.Count; c++)
        {
            var flatPoints = flatCurves[c].GetProperty("points").EnumerateArray().ToList();
            var peakPoints = peakCurves[c].GetProperty("points").EnumerateArray().ToList();
            for (var p = 0; p < flatPoints.Count; p++)
            {
                foreach (var route in flatPoints[p].GetProperty("routes").EnumerateObject())
                {
                    if (route.Value.ValueKind == JsonValueKind.Object && route.Value.TryGetProperty("replicas", out var flatReplicas) && flatReplicas.ValueKind == JsonValueKind.Number)
                    {
                        var peakReplicas = peakPoints[p].GetProperty("routes").GetProperty(route.Name).GetProperty("replicas").GetInt64();
                        Assert.True(peakReplicas >= flatReplicas.GetInt64(), $"{route.Name}: {peakReplicas} < {flatReplicas}");
                        compared++;
                        more += peakReplicas > flatReplicas.GetInt64() ? 1 : 0;
                    }
                }
            }
        }
        Assert.True(compared > 0, "no capacity route with replicas to compare");
        Assert.True(more > 0, "the peaked day never needed more replicas: the demand shape was not applied");
        Assert.Equal(1, badExit);
        Assert.Contains("bad.json", badErr);
        Assert.False(Directory.Exists(Path.Combine(folder, "bad")));
    }
}
