using System.Text;
using InferCost.Core.Metrics;
using InferCost.Core.Pricing;

namespace InferCost.Core.Tests.Pricing;

internal static class PricingTestKit
{
    /// <summary>A one-entry catalog: prices in USD per million tokens.</summary>
    public static PriceCatalog Catalog(string tokenPriceJson)
    {
        var json = $$"""{ "schema": "infercost.prices/v1", "version": "test", "tokenPrices": [ {{tokenPriceJson}} ] }""";
        var result = PriceCatalogReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "test.json");
        Assert.True(result.Catalog is not null, string.Join("; ", result.Diagnostics.Select(d => d.ToSentence("test.json"))));
        return result.Catalog!;
    }

    public static PriceCatalogReadResult Read(string json) =>
        PriceCatalogReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "bad.json");

    public static readonly GroupKey Key = new("Managed frontier API", "Acme", "m1", "w", 1);

    public static CostInputAggregate Part(double uncached, double cached = 0, double written = 0, double output = 0, bool batch = false, bool hasCost = false, decimal observed = 0, double weight = 1) => new()
    {
        Key = Key,
        Provider = "Acme",
        Model = "m1",
        BatchEligible = batch,
        HasObservedCost = hasCost,
        Rows = 1,
        Weight = weight,
        WeightedUncachedInputTokens = uncached,
        WeightedCachedInputTokens = cached,
        WeightedCacheWriteTokens = written,
        WeightedOutputTokens = output,
        WeightedObservedCostUsd = observed,
    };
}
