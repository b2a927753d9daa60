using InferCost.Core.Diagnostics;
using InferCost.Core.Pricing;
using static InferCost.Core.Tests.Pricing.PricingTestKit;

namespace InferCost.Core.Tests.Pricing;

public class CatalogReaderTests
{
    [Fact]
    public void The_built_in_catalog_reads_and_every_entry_is_dated_and_sourced()
    {
        var catalog = PriceCatalog.BuiltIn;

        Assert.Contains(catalog.TokenPrices, t => t.Provider == "OpenAI");
        Assert.Contains(catalog.TokenPrices, t => t.Provider == "Anthropic");
        Assert.Contains(catalog.TokenPrices, t => t.Provider == "Together AI");
        Assert.Contains(catalog.TokenPrices, t => t.Provider == "Fireworks");
        foreach (var gpu in new[] { "H100", "H200", "B200", "A100", "L40S", "L4", "MI300X" })
        {
            Assert.True(catalog.Offers(gpu, "Self-hosted GPU stack").Count > 0, gpu + " has no self-hosted offer");
            Assert.NotNull(catalog.FindOwned(gpu));
        }
        var provenances = catalog.TokenPrices.Select(t => t.Provenance).Concat(catalog.GpuOffers.Select(o => o.Provenance)).Concat(catalog.OwnedHardware.Select(o => o.Provenance));
        Assert.All(provenances, p => Assert.StartsWith("https://", p.Source));
        Assert.NotNull(catalog.Operations);
    }

    [Fact]
    public void A_bad_value_is_reported_with_its_line_column_path_and_value()
    {
        var json = "{\n  \"schema\": \"infercost.prices/v1\",\n  \"tokenPrices\": [\n    { \"provider\": \"Acme\", \"model\": \"m1\", \"inputUsdPerMTok\": -3, \"outputUsdPerMTok\": 1, \"effectiveDate\": \"2025-13-01\", \"source\": \"https://example.com\" }\n  ]\n}";

        var result = Read(json);

        Assert.Null(result.Catalog);
        var price = Assert.Single(result.Diagnostics, d => d.Column == "tokenPrices[0].inputUsdPerMTok");
        Assert.Equal((4L, 61), (price.Line, price.ColumnNumber)); // "    { " + 54 characters of keys before the value
        Assert.Equal("-3", price.Value);
        Assert.Equal("bad.json, line 4, column 61 (tokenPrices[0].inputUsdPerMTok): value \"-3\" must be a price in USD, zero or more.", price.ToSentence("bad.json"));
        Assert.Contains(result.Diagnostics, d => d.Column == "tokenPrices[0].effectiveDate" && d.Value == "2025-13-01");
    }

    [Fact]
    public void Broken_json_is_one_diagnostic_with_its_position()
    {
        var result = Read("{\n  \"schema\": \"infercost.prices/v1\",\n  \"tokenPrices\": [ { \"provider\": }\n}");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(3, error.Line);
        Assert.StartsWith("is not valid JSON", error.Message);
    }

    [Fact]
    public void An_unknown_gpu_type_suggests_the_catalog_names()
    {
        var result = Read("""{ "schema": "infercost.prices/v1", "gpuOffers": [ { "gpuType": "H1OO", "provider": "X", "route": "dedicated", "kind": "on-demand", "usdPerGpuHour": 2, "effectiveDate": "2025-01-01", "source": "https://x.example" } ] }""");

        var error = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal("gpuOffers[0].gpuType", error.Column);
        Assert.Contains("is not in the GPU catalog", error.Message);
    }

    [Fact]
    public void A_users_entries_win_over_the_built_in_ones_and_new_ones_are_added()
    {
        var mine = Catalog("""{ "provider": "openai", "model": "GPT-4.1-mini", "inputUsdPerMTok": 0.1, "outputUsdPerMTok": 0.2, "effectiveDate": "2026-01-01", "source": "https://example.com/negotiated" }""");

        var merged = PriceCatalog.BuiltIn.MergedWith(mine);

        var price = merged.FindTokenPrice("OpenAI", "gpt-4.1-mini")!;
        Assert.Equal(0.1m, price.InputUsdPerMTok);
        Assert.Equal("https://example.com/negotiated", price.Provenance.Source);
        Assert.Equal(PriceCatalog.BuiltIn.TokenPrices.Count, merged.TokenPrices.Count);
        Assert.Equal(["catalog/prices.json 2026-11-22", "test.json test"], merged.Versions);
    }

    [Fact]
    public void Per_second_offers_are_converted_to_an_hourly_price()
    {
        var modal = PriceCatalog.BuiltIn.GpuOffers.Single(o => o.Provider == "Modal" && o.GpuType == "H100 SXM 80GB");

        Assert.Equal(0.001097m * 3600m, modal.UsdPerGpuHour);
        Assert.Equal(GpuOfferKind.ServerlessPerSecond, modal.Kind);
    }
}
