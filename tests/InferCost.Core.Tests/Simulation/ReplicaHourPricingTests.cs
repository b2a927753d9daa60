using InferCost.Core.Pricing;
using InferCost.Core.Simulation;

namespace InferCost.Core.Tests.Simulation;

/// <summary>Replica-hour prices from the built-in catalog's GPU offers (figures read from catalog/prices.json by hand).</summary>
public sealed class ReplicaHourPricingTests
{
    [Fact]
    public void The_cheapest_hourly_offer_on_the_route_times_the_gpus_per_replica()
    {
        // Dedicated endpoint H100: Fireworks 5.80, Together AI 3.36 per GPU-hour (2025-06-01).
        var price = ReplicaHourPricing.FromCatalog(PriceCatalog.BuiltIn, "h100", 2, "Dedicated endpoint", provider: null, out var error);

        Assert.Null(error);
        Assert.Equal(3.36m * 2, price!.UsdPerReplicaHour);
        Assert.Equal("Together AI", price.CatalogOffer!.Provider);
        Assert.Equal(new DateOnly(2025, 6, 1), price.CatalogOffer.Provenance.EffectiveDate);
        Assert.Contains("https://www.together.ai/pricing", price.Source, StringComparison.Ordinal);
        Assert.Contains("2025-06-01", price.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void The_rows_provider_is_preferred_and_without_a_route_every_hourly_offer_counts()
    {
        var fireworks = ReplicaHourPricing.FromCatalog(PriceCatalog.BuiltIn, "H100", 4, "Dedicated endpoint", "fireworks", out _);
        // Any route: Lambda's self-hosted 2.99 is the cheapest hourly H100 (Modal's per-second price is not a replica-hour).
        var anywhere = ReplicaHourPricing.FromCatalog(PriceCatalog.BuiltIn, "H100", 1, route: null, provider: null, out _);

        Assert.Equal(5.80m * 4, fireworks!.UsdPerReplicaHour);
        Assert.Equal(2.99m, anywhere!.UsdPerReplicaHour);
        Assert.Equal("Lambda", anywhere.CatalogOffer!.Provider);
    }

    [Fact]
    public void An_unknown_gpu_is_one_sentence_that_lists_the_priced_ones()
    {
        var price = ReplicaHourPricing.FromCatalog(PriceCatalog.BuiltIn, "Z9000", 1, null, null, out var error);

        Assert.Null(price);
        Assert.Contains("'Z9000'", error, StringComparison.Ordinal);
        Assert.Contains("H100 SXM 80GB", error, StringComparison.Ordinal);
        Assert.Contains("L4 24GB", error, StringComparison.Ordinal);
        Assert.EndsWith(".", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_rows_gpu_hour_price_times_the_capacity_models_gpus_per_replica()
    {
        var two = ReplicaHourPricing.FromRows(3.5m, "H100 SXM 80GB", 2, "rows");
        var one = ReplicaHourPricing.FromRows(3.5m, null, 1, "rows");

        Assert.Equal(7.0m, two.UsdPerReplicaHour);
        Assert.Null(two.CatalogOffer);
        Assert.Equal(3.5m, one.UsdPerReplicaHour);
        Assert.Contains("× 2 GPU(s)", two.Source, StringComparison.Ordinal);
    }
}
