using System.Globalization;
using System.Text.Json;

namespace InferCost.Cli.Tests;

/// <summary>The <c>infercost simulate</c> verb, run in-process with captured output.</summary>
public sealed class SimulateCommandTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = CliApp.Run(args, output, error, CliEnvironment.ForTests());
        return (exit, output.ToString(), error.ToString());
    }

    private static readonly string[] MmC = ["simulate", "--rate", "8", "--service", "exponential", "--mean-service-ms", "1000", "--requests", "200000"];

    [Fact]
    public void Json_output_carries_the_schema_assumptions_and_metrics()
    {
        var (exit, stdout, stderr) = Run([.. MmC, "--replicas", "10", "--seed", "3", "--usd-per-replica-hour", "2.5", "--format", "json"]);

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal("infercost.simulation/v1", root.GetProperty("schema").GetString());
        Assert.Equal(3, root.GetProperty("assumptions").GetProperty("seed").GetInt32());
        Assert.True(root.GetProperty("assumptions").GetProperty("warmup").GetProperty("excludedFromStatistics").GetBoolean());
        Assert.Equal(20_000, root.GetProperty("assumptions").GetProperty("warmup").GetProperty("requestsExcluded").GetInt64());
        var result = root.GetProperty("result");
        Assert.Equal(180_000, result.GetProperty("completed").GetInt64());
        Assert.InRange(result.GetProperty("waitProbability").GetDouble(), 0.37, 0.45);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("ttftP95Ms").ValueKind);
        Assert.Contains("first-token", root.GetProperty("nullReasons").GetProperty("ttftP95Ms").GetString(), StringComparison.Ordinal);
        var cost = root.GetProperty("cost");
        Assert.Equal(Math.Round(result.GetProperty("replicaHours").GetDouble() * 2.5, 2), Math.Round(cost.GetProperty("costUsd").GetDouble(), 2));
        Assert.Equal("--usd-per-replica-hour", cost.GetProperty("priceSource").GetString());
        Assert.DoesNotContain("NaN", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_min_replicas_reports_min_replicas_and_the_cost_at_that_size()
    {
        var (exit, stdout, _) = Run([.. MmC, "--target", "queueWaitP99Ms<=500", "--find-min-replicas", "--usd-per-replica-hour", "1", "--format", "json"]);

        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(13, doc.RootElement.GetProperty("minReplicas").GetInt32());
        Assert.True(doc.RootElement.GetProperty("cost").GetProperty("costUsd").GetDouble() > 0);
        Assert.Contains(doc.RootElement.GetProperty("search").GetProperty("trials").EnumerateArray(),
            t => t.GetProperty("replicas").GetInt32() == 12 && !t.GetProperty("met").GetBoolean());
    }

    [Fact]
    public void A_missed_target_exits_1_with_one_sentence()
    {
        var (exit, stdout, stderr) = Run([.. MmC, "--replicas", "10", "--target", "latencyP95Ms<=1000"]);

        Assert.Equal(1, exit);
        Assert.Contains("target latencyP95Ms<=1000: NOT met", stdout, StringComparison.Ordinal);
        Assert.StartsWith("infercost simulate: the target latencyP95Ms<=1000 is not met", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--rate", "-1", "--rate must be a positive number")]
    [InlineData("--rate", "2,5", "--rate must be a positive number")]
    [InlineData("--replicas", "0", "--replicas must be a whole number")]
    [InlineData("--duration", "soon", "--duration must be a time")]
    [InlineData("--target", "p95<=3", "unknown metric 'p95'")]
    [InlineData("--format", "xml", "--format must be one of table|json")]
    public void Bad_flags_exit_2_with_a_clear_sentence(string flag, string value, string message)
    {
        var args = MmC.Where((_, i) => !(MmC[i] == flag || (i > 0 && MmC[i - 1] == flag))).Concat([flag, value]).ToArray();

        var (exit, _, stderr) = Run(args);

        Assert.Equal(2, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Measured_service_needs_a_points_file()
    {
        var (exit, _, stderr) = Run("simulate", "--rate", "2", "--service", "measured");

        Assert.Equal(2, exit);
        Assert.Contains("--points FILE", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_points_file_is_an_io_failure()
    {
        var (exit, _, stderr) = Run("simulate", "--rate", "2", "--service", "measured", "--points", Path.Combine(Path.GetTempPath(), "no-such-dir-infercost", "points.csv"));

        Assert.Equal(3, exit);
        Assert.Contains("cannot read", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Measured_service_reads_points_and_reports_ttft()
    {
        var dir = Directory.CreateTempSubdirectory("infercost-sim-");
        try
        {
            var points = Path.Combine(dir.FullName, "points.csv");
            File.WriteAllText(points, "concurrency,ttftMs,outputTokensPerSecond,outputTokens\n1,250,70,300\n8,600,35,300\n16,1100,22,300\n");
            var (exit, stdout, stderr) = Run("simulate", "--rate", "1.5", "--service", "measured", "--points", points,
                "--replicas", "2", "--duration", "2h", "--warmup", "10m", "--timeout-ms", "60000", "--retries", "2", "--format", "json");

            Assert.True(exit == 0, stderr);
            using var doc = JsonDocument.Parse(stdout);
            var result = doc.RootElement.GetProperty("result");
            Assert.Equal(16, doc.RootElement.GetProperty("assumptions").GetProperty("maxConcurrencyPerReplica").GetInt32());
            Assert.InRange(result.GetProperty("ttftP50Ms").GetDouble(), 250, 1100);
            Assert.True(result.GetProperty("latencyP95Ms").GetDouble() > result.GetProperty("ttftP95Ms").GetDouble());
            Assert.Equal(600, doc.RootElement.GetProperty("assumptions").GetProperty("warmup").GetProperty("seconds").GetDouble());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Bad_points_content_exits_1_with_file_line_and_column()
    {
        var dir = Directory.CreateTempSubdirectory("infercost-sim-");
        try
        {
            var points = Path.Combine(dir.FullName, "points.csv");
            File.WriteAllText(points, "concurrency,ttftMs,outputTokensPerSecond,outputTokens\n1,250,fast,300\n");
            var (exit, _, stderr) = Run("simulate", "--rate", "3", "--service", "measured", "--points", points);

            Assert.Equal(1, exit);
            Assert.Contains("points.csv, line 2, column 3 (outputTokensPerSecond)", stderr, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Output_is_the_same_under_a_comma_decimal_culture()
    {
        string[] args = ["simulate", "--rate", "8", "--mean-service-ms", "1000", "--requests", "20000", "--replicas", "10", "--usd-per-replica-hour", "2.5"];
        var invariant = Run(args);
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var german = Run(args);
            Assert.Equal(invariant.Out, german.Out);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Help_shows_an_example()
    {
        var (exit, stdout, _) = Run("simulate", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("infercost simulate --rate 8", stdout, StringComparison.Ordinal);
        Assert.Contains("--find-min-replicas", stdout, StringComparison.Ordinal);
    }
}
