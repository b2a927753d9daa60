using System.Text;
using InferCost.Core.Pricing;

namespace InferCost.Core.Tests.Pricing;

public class LiteLlmImportTests
{
    private static LiteLlmImport Import() =>
        LiteLlmImporter.Read(File.OpenRead(Fixtures.PathOf("pricing/litellm-small.json")), new DateOnly(2026, 11, 1), LiteLlmImporter.DefaultSource, "mine.json");

    [Fact]
    public void Chat_models_are_imported_in_usd_per_million_tokens()
    {
        var prices = Import().Prices.ToDictionary(p => p.Model);

        Assert.Equal(["gpt-4.1-mini", "claude-sonnet-4-20250514", "meta-llama/Llama-3.3-70B-Instruct-Turbo"], Import().Prices.Select(p => p.Model));
        var mini = prices["gpt-4.1-mini"];
        Assert.Equal(("OpenAI", 0.4m, 0.1m, 1.6m, 0.2m, 0.8m), (mini.Provider, mini.InputUsdPerMTok, mini.CachedInputUsdPerMTok!.Value, mini.OutputUsdPerMTok, mini.BatchInputUsdPerMTok!.Value, mini.BatchOutputUsdPerMTok!.Value));
        var sonnet = prices["claude-sonnet-4-20250514"];
        Assert.Equal(("Anthropic", 3m, 0.3m, 3.75m, 15m), (sonnet.Provider, sonnet.InputUsdPerMTok, sonnet.CachedInputUsdPerMTok!.Value, sonnet.CacheWriteUsdPerMTok!.Value, sonnet.OutputUsdPerMTok));
        Assert.False(sonnet.HasBatchLane);
        var llama = prices["meta-llama/Llama-3.3-70B-Instruct-Turbo"];
        Assert.Equal("Together AI", llama.Provider);
        Assert.Equal(["together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo"], llama.Aliases);
        Assert.Equal(new DateOnly(2026, 11, 1), llama.Provenance.EffectiveDate);
    }

    [Fact]
    public void Non_chat_modes_and_unpriced_entries_are_skipped_with_a_reason()
    {
        var skipped = Import().Skipped.ToDictionary(s => s.Key, s => s.Reason);

        Assert.Equal(5, skipped.Count);
        Assert.Contains("documentation", skipped["sample_spec"]);
        Assert.Contains("mode \"embedding\" is not chat", skipped["text-embedding-3-small"]);
        Assert.Contains("mode \"image_generation\" is not chat", skipped["dall-e-3"]);
        Assert.Contains("mode \"completion\" is not chat", skipped["gpt-3.5-turbo-instruct"]);
        Assert.Contains("no input_cost_per_token", skipped["fireworks_ai/accounts/fireworks/models/no-price"]);
    }

    [Fact]
    public void The_written_catalog_reads_back_with_the_same_prices()
    {
        var import = Import();
        var text = new StringWriter();
        PriceCatalogWriter.Write(text, "2026-11-01", ["test"], import.Prices);

        var read = PriceCatalogReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())), "mine.json");

        Assert.NotNull(read.Catalog);
        Assert.Equal(import.Prices.Select(p => p with { Aliases = [] }), read.Catalog!.TokenPrices.Select(p => p with { Aliases = [] }));
        Assert.Equal(import.Prices.SelectMany(p => p.Aliases), read.Catalog.TokenPrices.SelectMany(p => p.Aliases));
        Assert.Contains("\"inputUsdPerMTok\": 0.4,", text.ToString());
    }
}
