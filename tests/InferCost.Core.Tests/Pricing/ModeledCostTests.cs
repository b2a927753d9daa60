using InferCost.Core.Pricing;
using static InferCost.Core.Tests.Pricing.PricingTestKit;

namespace InferCost.Core.Tests.Pricing;

public class ModeledCostTests
{
    private const string Acme = """{ "provider": "Acme", "model": "m1", "inputUsdPerMTok": 3, "cachedInputUsdPerMTok": 0.3, "cacheWriteUsdPerMTok": 3.75, "outputUsdPerMTok": 15, "batchInputUsdPerMTok": 1.5, "batchOutputUsdPerMTok": 7.5, "effectiveDate": "2025-05-22", "source": "https://example.com/acme" }""";

    [Fact]
    public void Cached_tokens_are_priced_at_the_cached_input_price()
    {
        // 10,000 input tokens at a 60% hit rate: 4,000 uncached × $3 + 6,000 cached × $0.30 + 500 output × $15, per million.
        var cost = ModeledCostCalculator.Cost(Part(uncached: 4000, cached: 6000, output: 500), Catalog(Acme).TokenPrices[0], batch: false);

        Assert.Equal((4000m * 3 + 6000m * 0.3m + 500m * 15) / 1_000_000m, cost); // $0.0213
        Assert.Equal(0.0213m, cost);
    }

    [Fact]
    public void Cache_writes_are_priced_at_the_cache_write_price()
    {
        // 2,000 uncached + 8,000 written to the cache + 300 output.
        var cost = ModeledCostCalculator.Cost(Part(uncached: 2000, written: 8000, output: 300), Catalog(Acme).TokenPrices[0], batch: false);

        Assert.Equal(0.0405m, cost); // (2000×3 + 8000×3.75 + 300×15) / 1e6 = (6000 + 30000 + 4500) / 1e6
    }

    [Fact]
    public void A_batch_eligible_row_uses_the_batch_lane_and_reports_the_live_price_beside_it()
    {
        // 1,000 uncached, 1,000 cached, 200 output; batch lane is half price, and the cache read gets the same discount.
        var modeled = ModeledCostCalculator.Compute([Part(uncached: 1000, cached: 1000, output: 200, batch: true)], Catalog(Acme));

        var group = modeled.ByGroup[Key];
        Assert.Equal((1000m * 1.5m + 1000m * 0.15m + 200m * 7.5m) / 1_000_000m, group.ModeledCostUsd); // $0.00315
        Assert.Equal((1000m * 3 + 1000m * 0.3m + 200m * 15) / 1_000_000m, group.LiveModeledCostUsd);    // $0.0063
        Assert.Equal(1, group.BatchPricedWeight);
        Assert.Empty(modeled.Missing);
    }

    [Fact]
    public void Without_a_batch_lane_a_batch_eligible_row_is_priced_live()
    {
        var noBatch = Catalog("""{ "provider": "Acme", "model": "m1", "inputUsdPerMTok": 2, "outputUsdPerMTok": 8, "effectiveDate": "2025-01-01", "source": "https://example.com/p" }""");

        var group = ModeledCostCalculator.Compute([Part(uncached: 1000, cached: 500, output: 100, batch: true)], noBatch).ByGroup[Key];

        // No cached lane either: cached tokens cost the input price.
        Assert.Equal((1500m * 2 + 100m * 8) / 1_000_000m, group.ModeledCostUsd);
        Assert.Equal(0, group.BatchPricedWeight);
    }

    [Fact]
    public void Observed_rows_are_compared_with_their_modeled_cost()
    {
        // Observed $0.03 for a row the catalog prices at $0.0213: observed is 40.8% above modeled.
        var group = ModeledCostCalculator.Compute([Part(uncached: 4000, cached: 6000, output: 500, hasCost: true, observed: 0.03m)], Catalog(Acme)).ByGroup[Key];

        Assert.Equal(0.0213m, group.ModeledCostOfObservedUsd);
        Assert.Equal(0.03m, group.ObservedCostUsd);
        Assert.Equal(0, group.ModeledWeight);
    }

    [Fact]
    public void A_row_without_cost_and_without_a_price_is_reported_by_provider_and_model()
    {
        var other = Catalog("""{ "provider": "Other", "model": "x", "inputUsdPerMTok": 1, "outputUsdPerMTok": 1, "effectiveDate": "2025-01-01", "source": "https://example.com/p" }""");

        var modeled = ModeledCostCalculator.Compute([Part(uncached: 100, output: 10)], other);

        var missing = Assert.Single(modeled.Missing);
        Assert.Equal(("Acme", "m1"), (missing.Provider, missing.Model));
        Assert.Contains("provider \"Acme\" model \"m1\"", missing.Sentence(other.Versions));
    }

    [Fact]
    public void Prices_are_found_by_alias_ignoring_case_and_punctuation()
    {
        var catalog = PriceCatalog.BuiltIn;

        Assert.Equal("gpt-4.1-mini", catalog.FindTokenPrice("openai", "GPT-4.1-mini-2025-04-14")?.Model);
        Assert.Equal("meta-llama/Llama-3.3-70B-Instruct-Turbo", catalog.FindTokenPrice("together ai", "llama-3.3-70b-instruct-turbo")?.Model);
        Assert.Null(catalog.FindTokenPrice("OpenAI", "no-such-model"));
    }
}
