using InferCost.Core.Metrics;

namespace InferCost.Ledger.Tests;

/// <summary>The SQL sums behind modeled cost, against values computed by hand.</summary>
public class CostInputAggregateTests
{
    private const string Header = LedgerTestKit.Header + ",requests,retryRate,cachedInputTokens,cacheWriteTokens,gpuType,gpuCount,gpuHourUsd";

    private static TraceLedger Ledger(string rows)
    {
        var ledger = TraceLedger.InMemory();
        var outcome = ledger.Import([LedgerTestKit.FromText("inline.csv", Header + "\n" + rows)]);
        Assert.True(outcome.Committed, string.Join("\n", outcome.Files.SelectMany(f => f.Result!.Diagnostics.Errors).Select(e => e.ToSentence("inline.csv"))));
        return ledger;
    }

    [Fact]
    public void Token_sums_split_cached_uncached_and_written_input_and_include_retries()
    {
        // Row 1: 10 requests, retry 0.1, 1,000 input at a 40% hit rate (cached 400, uncached 600), 100 output, no cost.
        // Row 2: 1 request (no requests column value), cachedInputTokens 300 and 200 written of 1,000 input, cost 0.01.
        using var ledger = Ledger(
            "managed,Acme,m1,w,1000,100,0.4,false,1,10,20,30,5,1,,0,10,0.1,,,,,\n" +
            "managed,Acme,m1,w,1000,50,0.9,true,1,10,20,30,5,1,0.01,0,,,300,200,,,\n");

        var parts = ledger.AggregateCostInputs(GroupDimensions.Default).OrderBy(p => p.HasObservedCost).ToList();

        Assert.Equal(2, parts.Count);
        var modeled = parts[0];
        Assert.False(modeled.HasObservedCost);
        Assert.Equal(10, modeled.Weight);
        Assert.Equal(10 * 1.1 * 600, modeled.WeightedUncachedInputTokens, 9);
        Assert.Equal(10 * 1.1 * 400, modeled.WeightedCachedInputTokens, 9);
        Assert.Equal(10 * 1.1 * 100, modeled.WeightedOutputTokens, 9);
        var observed = parts[1];
        Assert.True(observed.BatchEligible);
        // cachedInputTokens wins over inputTokens × cacheHitRate; written tokens leave the uncached share.
        Assert.Equal((500.0, 300.0, 200.0, 50.0), (observed.WeightedUncachedInputTokens, observed.WeightedCachedInputTokens, observed.WeightedCacheWriteTokens, observed.WeightedOutputTokens));
        Assert.Equal(0.01m, observed.WeightedObservedCostUsd);
    }

    [Fact]
    public void Hardware_per_group_gives_the_gpu_type_count_and_weighted_hourly_price()
    {
        using var ledger = Ledger(
            "dedicated,Acme,m1,w,1000,100,0,false,1,10,20,30,5,1,0.01,0,3,,,,H100,2,4\n" +
            "dedicated,Acme,m1,w,1000,100,0,false,1,10,20,30,5,1,0.01,0,1,,,,H100,1,2\n");

        var hardware = Assert.Single(ledger.AggregateHardware(GroupDimensions.Default));

        Assert.Equal("H100", hardware.GpuType);
        Assert.Equal(2, hardware.GpuCount);
        Assert.Equal((3 * 4m + 1 * 2m) / 4, hardware.GpuHourUsd); // request-weighted: $3.50
    }
}
