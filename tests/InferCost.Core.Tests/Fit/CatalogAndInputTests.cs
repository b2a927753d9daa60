using InferCost.Core.Fit;

namespace InferCost.Core.Tests.Fit;

public sealed class CatalogAndInputTests
{
    [Fact]
    public void Model_catalog_has_at_least_twelve_sourced_models()
    {
        var models = ModelCatalog.BuiltIn.Models;
        Assert.True(models.Count >= 12, $"{models.Count} models");
        Assert.All(models, m => Assert.StartsWith("https://huggingface.co/", m.Source, StringComparison.Ordinal));
        foreach (var name in new[] { "Llama-3.1-8B", "Llama-3.1-70B", "Llama-3.1-405B", "Qwen2.5-72B-Instruct", "Qwen3-32B", "Mixtral-8x7B", "DeepSeek-V3", "Mistral-7B-v0.1", "Gemma-2-27B", "Phi-4" })
        {
            Assert.NotNull(ModelCatalog.BuiltIn.Find(name).Match);
        }
    }

    [Fact]
    public void Gpu_catalog_has_the_required_gpus_with_sources_and_dates()
    {
        foreach (var name in new[] { "H100 SXM 80GB", "H200 SXM 141GB", "B200 HGX 180GB", "A100 SXM 80GB", "L40S 48GB", "L4 24GB", "MI300X 192GB" })
        {
            var gpu = GpuCatalog.BuiltIn.Find(name).Match;
            Assert.NotNull(gpu);
            Assert.StartsWith("https://", gpu.Source, StringComparison.Ordinal);
            Assert.True(gpu.MemoryBandwidthBytesPerSecond > 0);
        }
        var h100 = GpuCatalog.BuiltIn.Find("h100").Match!;
        Assert.Equal(80L * 1024 * 1024 * 1024, h100.MemoryBytes);
        Assert.Equal(3.35e12, h100.MemoryBandwidthBytesPerSecond);
    }

    [Fact]
    public void Unknown_names_list_close_matches()
    {
        var gpu = GpuCatalog.BuiltIn.Find("h10");
        Assert.Null(gpu.Match);
        Assert.Contains("H100 SXM 80GB", gpu.CloseMatches);

        var model = ModelCatalog.BuiltIn.Find("llama-3.1-7b");
        Assert.Null(model.Match);
        Assert.Contains("Llama-3.1-8B", model.CloseMatches);
    }

    [Fact]
    public void Names_ignore_case_spaces_and_punctuation()
    {
        Assert.Equal("H100 SXM 80GB", GpuCatalog.BuiltIn.Find("h100_sxm-80gb").Match!.Name);
        Assert.Equal("DeepSeek-V3", ModelCatalog.BuiltIn.Find("deepseek-ai/DeepSeek-V3").Match!.Name);
    }

    [Fact]
    public void Config_missing_a_needed_key_names_the_key()
    {
        using var stream = File.OpenRead(FitFixtures.PathOf("missing-heads.config.json"));
        var result = ModelFileReader.Read(stream, "missing-heads.config.json", expectGguf: false);
        Assert.Null(result.Value);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("num_attention_heads", error.Key);
        Assert.Equal("missing-heads.config.json: key 'num_attention_heads': is missing; it is needed to size the model.", error.ToString());
    }

    [Fact]
    public void Config_with_a_malformed_value_reports_key_and_value()
    {
        var json = """{"hidden_size": "4096", "num_hidden_layers": 32, "num_attention_heads": 32, "intermediate_size": 14336, "vocab_size": 128256}"""u8.ToArray();
        var result = ModelFileReader.Read(new MemoryStream(json), "bad.json", expectGguf: false);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("hidden_size", error.Key);
        Assert.Equal("\"4096\"", error.Value);
    }

    [Fact]
    public void Text_that_is_neither_json_nor_gguf_is_one_error()
    {
        var result = ModelFileReader.Read(new MemoryStream("hello"u8.ToArray()), "notes.txt", expectGguf: false);
        Assert.Contains("neither a GGUF file nor valid JSON", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }
}
