using System.Text.Json;

namespace InferCost.Cli.Tests;

/// <summary><c>infercost simulate --service measured</c> from trace rows, and replica cost from the price catalog.
/// Fixtures: tests/fixtures/simulate (two contract rows at concurrency 1 and 8, the same numbers as a points file, and
/// a catalog whose Fireworks H100 offer is 4.25 USD per GPU-hour).</summary>
public sealed class SimulateFromRowsTests
{
    private static readonly string Rows = CliRunner.Fixture("simulate/two-levels.csv");
    private static readonly string Points = CliRunner.Fixture("simulate/two-levels-points.csv");
    private static readonly string Catalog = CliRunner.Fixture("simulate/prices.json");
    private static readonly string[] Load = ["simulate", "--rate", "0.5", "--service", "measured", "--requests", "4000", "--seed", "7", "--format", "json"];
    private static readonly string[] FromRows = [.. Load, Rows, "--route", "dedicated", "--workload", "support-policy"];

    private static JsonDocument Json(string[] args)
    {
        var (exit, stdout, stderr) = CliRunner.Run(args);
        Assert.True(exit == 0, stderr);
        return JsonDocument.Parse(stdout);
    }

    [Fact]
    public void Rows_give_the_same_result_as_the_equivalent_points_file()
    {
        using var rows = Json(FromRows);
        using var points = Json([.. Load, "--points", Points]);

        Assert.Equal(points.RootElement.GetProperty("result").GetRawText(), rows.RootElement.GetProperty("result").GetRawText());
        Assert.Equal(8, rows.RootElement.GetProperty("assumptions").GetProperty("maxConcurrencyPerReplica").GetInt32());
        var service = rows.RootElement.GetProperty("assumptions").GetProperty("service");
        Assert.Equal("Dedicated endpoint", service.GetProperty("traceRows").GetProperty("route").GetString());
        Assert.Equal([1, 8], service.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("concurrency").GetInt32()));
    }

    [Fact]
    public void Rows_from_the_ledger_give_the_same_points_as_rows_from_files()
    {
        var dir = CliRunner.TempFolder();
        try
        {
            var ledger = Path.Combine(dir, "l.duckdb");
            Assert.Equal(0, CliRunner.Run("import", Rows, "--ledger", ledger).Exit);
            using var fromLedger = Json([.. Load, "--ledger", ledger, "--route", "dedicated", "--workload", "support-policy"]);
            using var fromFiles = Json(FromRows);

            Assert.Equal(fromFiles.RootElement.GetProperty("result").GetRawText(), fromLedger.RootElement.GetProperty("result").GetRawText());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Replica_cost_is_replicas_times_gpus_times_the_catalog_gpu_hour_price_times_hours()
    {
        using var doc = Json([.. FromRows, "--replicas", "3", "--catalog", Catalog]);

        var root = doc.RootElement;
        var hours = root.GetProperty("assumptions").GetProperty("warmup").GetProperty("measuredWindowSeconds").GetDouble() / 3600;
        var cost = root.GetProperty("cost");
        // The rows say 2 × H100 on Fireworks; the fixture catalog prices that at 4.25 USD per GPU-hour.
        Assert.Equal(3 * 2 * 4.25 * hours, cost.GetProperty("costUsd").GetDouble(), 3);
        Assert.Equal(8.5, cost.GetProperty("usdPerReplicaHour").GetDouble());
        Assert.Equal(2, cost.GetProperty("gpuCount").GetInt32());
        var entry = cost.GetProperty("catalogEntry");
        Assert.Equal("2026-11-01", entry.GetProperty("effectiveDate").GetString());
        Assert.Equal("https://example.test/fireworks-h100", entry.GetProperty("source").GetString());
        Assert.Contains("from the rows", cost.GetProperty("priceSource").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Gpu_flags_win_over_the_rows_and_the_table_names_the_catalog_entry()
    {
        var (exit, stdout, stderr) = CliRunner.Run([.. Load[..^2], Rows, "--route", "dedicated", "--workload", "support-policy", "--gpu", "H100", "--gpu-count", "4", "--catalog", Catalog]);

        Assert.True(exit == 0, stderr);
        Assert.Contains("× $17.00/replica-hour", stdout, StringComparison.Ordinal); // 4 × 4.25
        Assert.Contains("modeled: price catalog: Fireworks on-demand H100", stdout, StringComparison.Ordinal);
        Assert.Contains("2026-11-01, https://example.test/fireworks-h100", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_rows_own_gpu_hour_price_is_used_when_no_flag_prices_the_replica()
    {
        var dir = CliRunner.TempFolder();
        try
        {
            var file = Path.Combine(dir, "rows.csv");
            File.WriteAllText(file, File.ReadAllText(Rows).Replace("gpuType,gpuCount", "gpuType,gpuCount,gpuHourUsd", StringComparison.Ordinal)
                .Replace("H100,2\n", "H100,2,3.1\n", StringComparison.Ordinal).Replace(",,\n", ",,,\n", StringComparison.Ordinal));
            using var doc = Json([.. Load, file, "--route", "dedicated", "--workload", "support-policy", "--replicas", "2"]);

            var cost = doc.RootElement.GetProperty("cost");
            Assert.Equal(6.2, cost.GetProperty("usdPerReplicaHour").GetDouble()); // 2 GPUs × 3.1
            Assert.False(cost.TryGetProperty("catalogEntry", out _));
            Assert.Contains("gpuHourUsd of the measured rows", cost.GetProperty("priceSource").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void No_matching_rows_exit_1_with_one_sentence_listing_what_exists()
    {
        var (exit, stdout, stderr) = CliRunner.Run([.. Load, Rows, "--route", "dedicated", "--workload", "invoice-review"]);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("workload 'invoice-review'", stderr, StringComparison.Ordinal);
        Assert.Contains("Dedicated endpoint / dedicated-open-model-id / support-policy", stderr, StringComparison.Ordinal);
        Assert.Contains("Managed frontier API / frontier-reasoning-model-id / coding-agent-maintenance", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_gpu_exits_1_with_the_known_ones()
    {
        var (exit, _, stderr) = CliRunner.Run("simulate", "--rate", "8", "--mean-service-ms", "1000", "--requests", "1000", "--gpu", "Z9000");

        Assert.Equal(1, exit);
        Assert.Contains("no hourly GPU offer for 'Z9000'", stderr, StringComparison.Ordinal);
        Assert.Contains("H100 SXM 80GB", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("both", "not both")]
    [InlineData("neither", "--points FILE")]
    [InlineData("route-only", "needs both --route R and --workload W")]
    [InlineData("gpu-and-usd", "--usd-per-replica-hour or --gpu")]
    [InlineData("count-without-gpu", "--gpu-count needs --gpu")]
    [InlineData("rows-for-exponential", "choose the trace rows of --service measured")]
    public void Usage_errors_exit_2(string case_, string message)
    {
        string[] args = case_ switch
        {
            "both" => [.. FromRows, "--points", Points],
            "neither" => Load,
            "route-only" => [.. Load, Rows, "--route", "dedicated"],
            "gpu-and-usd" => [.. FromRows, "--gpu", "H100", "--usd-per-replica-hour", "3"],
            "count-without-gpu" => [.. FromRows, "--gpu-count", "2"],
            _ => ["simulate", "--rate", "1", "--mean-service-ms", "100", "--route", "dedicated", "--workload", "w"],
        };

        var (exit, _, stderr) = CliRunner.Run(args);

        Assert.Equal(2, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }
}
