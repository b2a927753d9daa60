using InferCost.Core.Contract;
using static InferCost.Core.Tests.Importers.ImportHarness;

namespace InferCost.Core.Tests.Importers;

/// <summary>vllm bench serve results saved without --save-detailed: one contract row when the file has the p50 and p95
/// of end-to-end latency, else refused naming the flags; all-failed says how many failed.</summary>
public sealed class VllmSummaryTests
{
    [Fact]
    public void A_summary_with_e2el_percentiles_becomes_one_contract_row_with_the_files_p95()
    {
        var imported = Fixture("vllm-bench/result-summary-e2el.json");
        Assert.Equal("vllm-bench", imported.Detected);
        imported.Valid();
        Assert.Empty(imported.Events);
        var row = Assert.Single(imported.Rows);
        Assert.Equal(5231.8, row.LatencyP95Ms);             // p95_e2el_ms, exactly as the file says
        Assert.Equal(4012.6, row.LatencyP50Ms);             // p50_e2el_ms
        Assert.Equal(5790.2, row.LatencyP99Ms);
        Assert.Equal(150.2, row.TtftMs);                    // median_ttft_ms
        Assert.Equal(16, row.Concurrency);                  // max_concurrency
        Assert.Equal(1000, row.InputTokens, 9);             // 196000 / 196 completed
        Assert.Equal(200, row.OutputTokens, 9);             // 39200 / 196
        Assert.Equal(50, row.OutputTokensPerSecond, 9);     // 1000 / mean_tpot_ms 20
        Assert.Equal(0.02, row.ErrorRate!.Value, 12);       // 4 failed of 200
        Assert.Equal(196, row.Requests);
        Assert.Equal(Routes.SelfHostedGpuStack, row.Route);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero), row.MeasuredAt);
        Assert.Contains("acceptedOutputRate = 1 (vLLM bench judges no outputs: every completed request counts as accepted)", imported.File.Filled);
    }

    [Fact]
    public void A_summary_without_e2el_percentiles_is_refused_naming_the_exact_flags()
    {
        var imported = Fixture("vllm-bench/result-summary.json", Fill with { Model = null, Concurrency = 2 });
        Assert.Empty(imported.Rows);
        var error = Assert.Single(imported.Errors);
        Assert.Contains("--metric-percentiles 50,95,99 --percentile-metrics ttft,tpot,e2el", error);
        Assert.Contains("200 requests", error);
    }

    [Fact]
    public void An_all_failed_result_says_how_many_failed()
    {
        var imported = Fixture("vllm-bench/result-all-failed.json");
        Assert.Empty(imported.Rows);
        var error = Assert.Single(imported.Errors);
        Assert.Contains("all 200 requests of this vLLM benchmark failed", error);
        Assert.DoesNotContain("(0 requests)", error);
    }
}
