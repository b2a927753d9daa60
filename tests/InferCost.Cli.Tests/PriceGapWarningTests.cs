using System.Text.Json;

namespace InferCost.Cli.Tests;

/// <summary>Observed costs are checked against like: token-billed rows against live token prices, rows billed per
/// GPU-hour against GPU-hour economics; and the warnings come one per model, not one per concurrency.</summary>
public class PriceGapWarningTests
{
    private const string Header = "route,provider,model,workload,inputTokens,outputTokens,cacheHitRate,batchEligible,concurrency,ttftMs,latencyP50Ms,latencyP95Ms,outputTokensPerSecond,acceptedOutputRate,costUsd,reviewMinutes,requests,gpuType,gpuCount";

    private static string Write(string csv)
    {
        var file = Path.Combine(CliRunner.TempFolder(), "rows.csv");
        File.WriteAllText(file, csv);
        return file;
    }

    [Fact]
    public void A_batch_eligible_row_with_an_observed_cost_is_checked_against_the_live_price()
    {
        // gpt-4.1-mini live: (1000 × $0.40 + 100 × $1.60) / 1e6 = $0.00056; observed $0.000588 is 5% above (not flagged).
        // Against the batch lane ($0.00028) it would read +110%.
        var file = Write(Header + "\nmanaged,OpenAI,gpt-4.1-mini,w,1000,100,0,true,4,100,200,300,50,0.9,0.000588,0,100,,\n");

        var (exit, output, err) = CliRunner.Run("metrics", file, "--format", "json");

        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        var group = doc.RootElement.GetProperty("groups")[0];
        Assert.Equal(0.05, group.GetProperty("observedVsModeledGapShare").GetDouble(), 6);
        Assert.False(group.GetProperty("observedVsModeledGapFlagged").GetBoolean());
        Assert.Equal(0, doc.RootElement.GetProperty("priceGapWarnings").GetArrayLength());
    }

    [Fact]
    public void A_dedicated_endpoint_is_checked_against_gpu_hours_and_warned_about_once_for_all_its_concurrencies()
    {
        // 2 × H100 at Fireworks' $5.80/GPU-hour = $11.60/h. Throughput = concurrency × 100 tok/s ÷ 500 tokens:
        // 0.8, 1.6 and 3.2 outputs/s, so GPU-hour economics give $11.60 / 3600 / 0.8 = $0.00402778 per output at c=4
        // (halving with each doubling). The rows pay 1.5× that: +50% at every concurrency. The catalog also has a
        // per-token price for this model ($0.90/MTok), which must not be used: it would read several thousand percent.
        var file = Write(Header + "\n" +
            "dedicated,Fireworks,qwen2.5-72b-instruct,w,2000,500,0,false,4,100,2000,3000,100,0.9,0.006041667,0,200,H100,2\n" +
            "dedicated,Fireworks,qwen2.5-72b-instruct,w,2000,500,0,false,8,100,2000,3000,100,0.9,0.003020833,0,200,H100,2\n" +
            "dedicated,Fireworks,qwen2.5-72b-instruct,w,2000,500,0,false,16,100,2000,3000,100,0.9,0.001510417,0,200,H100,2\n");

        var (exit, output, err) = CliRunner.Run("metrics", file, "--format", "json");

        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        foreach (var group in doc.RootElement.GetProperty("groups").EnumerateArray())
        {
            Assert.Equal(0.5, group.GetProperty("observedVsModeledGapShare").GetDouble(), 4);
            Assert.StartsWith("GPU-hour economics: 2 × H100", group.GetProperty("priceCheck").GetString());
        }
        var warning = Assert.Single(doc.RootElement.GetProperty("priceGapWarnings").EnumerateArray());
        Assert.Equal(3, warning.GetProperty("groups").GetArrayLength());
        Assert.Contains("50% above what GPU-hour economics at the measured throughput model", warning.GetProperty("sentence").GetString());

        var table = CliRunner.Run("metrics", file).Out;
        var lines = table.Split('\n').Where(l => l.StartsWith("? ", StringComparison.Ordinal)).ToList();
        Assert.Equal("? Dedicated endpoint / Fireworks / qwen2.5-72b-instruct (w c=4, c=8, c=16): the observed cost is 50% above what GPU-hour economics at the measured throughput model (a gap over 10%).", Assert.Single(lines));
    }

    [Fact]
    public void Without_gpu_count_a_gpu_hour_row_says_how_many_gpus_its_cost_pays_for_instead_of_a_token_price_gap()
    {
        // $0.0121 per output at 0.8 outputs/s = $34.848/h = 6.0 × H100 at $5.80.
        var file = Write(Header + "\ndedicated,Fireworks,qwen2.5-72b-instruct,w,2000,500,0,false,4,100,2000,3000,100,0.9,0.0121,0,200,H100,\n");

        var (exit, output, err) = CliRunner.Run("metrics", file);

        Assert.True(exit == 0, err);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("? ", StringComparison.Ordinal));
        Assert.Contains("billed per GPU-hour, so per-token prices do not apply", line);
        Assert.Contains("pays for 6 × H100 at $5.80/GPU-hour (Fireworks on-demand", line);
        Assert.DoesNotContain("above what", line);
    }
}
