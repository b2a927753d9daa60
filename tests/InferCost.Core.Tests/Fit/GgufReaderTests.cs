using InferCost.Core.Fit;

namespace InferCost.Core.Tests.Fit;

public sealed class GgufReaderTests
{
    /// <summary>Llama-3.1-8B's header as llama.cpp's converter writes it (metadata only, no tensor data).</summary>
    private static byte[] Llama8BHeader(bool withOutputTensor = true)
    {
        var writer = new GgufWriter()
            .String("general.architecture", "llama")
            .String("general.name", "Meta Llama 3.1 8B Instruct")
            .UInt32("general.file_type", 1)
            .UInt32("llama.block_count", 32)
            .UInt32("llama.context_length", 131072)
            .UInt32("llama.embedding_length", 4096)
            .UInt32("llama.feed_forward_length", 14336)
            .UInt32("llama.attention.head_count", 32)
            .UInt32("llama.attention.head_count_kv", 8)
            .Float32("llama.rope.freq_base", 500000f)
            .UInt32("llama.vocab_size", 128256)
            .Bool("tokenizer.ggml.add_bos_token", true)
            .StringArray("tokenizer.ggml.tokens", "!", "\"", "#", "<|begin_of_text|>")
            .Int32Array("tokenizer.ggml.token_type", 1, 1, 1, 3)
            .Tensor("token_embd.weight", 4096, 128256)
            .Tensor("blk.0.attn_q.weight", 4096, 4096);
        if (withOutputTensor)
        {
            writer.Tensor("output.weight", 4096, 128256);
        }
        return writer.ToBytes();
    }

    private static FitReadResult<ModelArchitecture> Read(byte[] bytes, string name = "model.gguf") =>
        ModelFileReader.Read(new MemoryStream(bytes), name, expectGguf: name.EndsWith(".gguf", StringComparison.Ordinal));

    [Fact]
    public void Header_metadata_gives_the_same_architecture_as_the_config()
    {
        var result = Read(Llama8BHeader());

        Assert.True(result.Succeeded, string.Join(" ", result.Diagnostics));
        var model = result.Value!;
        Assert.Equal("Meta Llama 3.1 8B Instruct", model.Name);
        Assert.Equal(128, model.HeadDim);         // 4096 / 32, no key_length given
        Assert.False(model.TieWordEmbeddings);    // output.weight is listed
        Assert.Equal(WeightPrecision.Fp16, model.NativeWeights); // general.file_type 1 = F16
        // Same hand computation as the config: 32 × 218,112,000 + 2 × 128256 × 4096 + 4096.
        Assert.Equal(32 * 218_112_000L + 2 * 128256L * 4096 + 4096, ParameterCounter.Count(model).Total);
        Assert.Equal(2L * 32 * 8 * 128 * 2, KvCache.BytesPerTokenPerGpu(model, KvPrecision.Bf16, 1));
    }

    [Fact]
    public void Reader_keeps_typed_values_and_counts_long_arrays()
    {
        var header = GgufReader.Read(new MemoryStream(Llama8BHeader()), "model.gguf").Value!;
        Assert.Equal(3u, header.Version);
        Assert.Equal(3ul, header.TensorCount);
        Assert.Equal(500000d, (double)header.Metadata["llama.rope.freq_base"]);
        Assert.Equal(true, header.Metadata["tokenizer.ggml.add_bos_token"]);
        Assert.Equal(4ul, ((GgufArray)header.Metadata["tokenizer.ggml.tokens"]).Length);
        Assert.Equal([1L, 1L, 1L, 3L], ((GgufArray)header.Metadata["tokenizer.ggml.token_type"]).Values!);
        Assert.Equal(["token_embd.weight", "blk.0.attn_q.weight", "output.weight"], header.TensorNames);
    }

    [Fact]
    public void Missing_output_tensor_means_tied_embeddings()
    {
        var model = Read(Llama8BHeader(withOutputTensor: false)).Value!;
        Assert.True(model.TieWordEmbeddings);
        Assert.Equal(32 * 218_112_000L + 128256L * 4096 + 4096, ParameterCounter.Count(model).Total);
    }

    [Fact]
    public void Every_truncation_of_the_header_is_one_clear_error()
    {
        var bytes = Llama8BHeader();
        // Cut after the magic, inside the version, inside the counts, inside a key, and inside the tensor directory.
        foreach (var length in new[] { 4, 6, 12, 30, 100, bytes.Length - 5 })
        {
            var result = Read(bytes[..length]);
            var error = Assert.Single(result.Diagnostics);
            Assert.Equal(FitSeverity.Error, error.Severity);
            Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
            Assert.Null(result.Value);
        }
    }

    [Fact]
    public void A_file_named_gguf_that_is_not_gguf_is_one_clear_error()
    {
        var result = Read("{\"hidden_size\": 4096}"u8.ToArray());
        var error = Assert.Single(result.Diagnostics);
        Assert.Contains("is not a GGUF file", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("7B226869", error.Message, StringComparison.Ordinal); // the first four bytes, in hex
    }

    [Fact]
    public void Too_short_for_a_magic_and_empty_files_are_errors()
    {
        Assert.Contains("truncated", Assert.Single(Read("GG"u8.ToArray()).Diagnostics).Message, StringComparison.Ordinal);
        Assert.Contains("empty", Assert.Single(Read([]).Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_version_is_reported_with_its_number()
    {
        var bytes = new GgufWriter { Version = 1 }.String("general.architecture", "llama").ToBytes();
        var error = Assert.Single(Read(bytes).Diagnostics);
        Assert.Equal("version", error.Key);
        Assert.Equal("1", error.Value);
    }

    [Fact]
    public void Missing_architecture_key_is_named()
    {
        var bytes = new GgufWriter()
            .String("general.architecture", "llama")
            .UInt32("llama.block_count", 32)
            .UInt32("llama.embedding_length", 4096)
            .UInt32("llama.feed_forward_length", 14336)
            .UInt32("llama.vocab_size", 128256)
            .ToBytes();
        var error = Assert.Single(Read(bytes).Diagnostics, d => d.Severity == FitSeverity.Error);
        Assert.Equal("llama.attention.head_count", error.Key);
    }

    [Fact]
    public void Latent_attention_in_gguf_uses_the_kv_lora_rank()
    {
        // DeepSeek-V3 as llama.cpp's deepseek2 architecture writes it.
        var bytes = new GgufWriter()
            .String("general.architecture", "deepseek2")
            .UInt32("deepseek2.block_count", 61)
            .UInt32("deepseek2.embedding_length", 7168)
            .UInt32("deepseek2.feed_forward_length", 18432)
            .UInt32("deepseek2.attention.head_count", 128)
            .UInt32("deepseek2.attention.head_count_kv", 128)
            .UInt32("deepseek2.attention.q_lora_rank", 1536)
            .UInt32("deepseek2.attention.kv_lora_rank", 512)
            .UInt32("deepseek2.attention.key_length", 192)
            .UInt32("deepseek2.attention.value_length", 128)
            .UInt32("deepseek2.rope.dimension_count", 64)
            .UInt32("deepseek2.expert_count", 256)
            .UInt32("deepseek2.expert_used_count", 8)
            .UInt32("deepseek2.expert_shared_count", 1)
            .UInt32("deepseek2.expert_feed_forward_length", 2048)
            .UInt32("deepseek2.leading_dense_block_count", 3)
            .UInt32("deepseek2.vocab_size", 129280)
            .Tensor("output.weight", 7168, 129280)
            .Tensor("blk.3.exp_probs_b.bias", 256)
            .ToBytes();
        var model = Read(bytes).Value!;
        Assert.Equal(AttentionKind.Mla, model.Attention);
        Assert.Equal(61L * (512 + 64) * 2, KvCache.BytesPerTokenPerGpu(model, KvPrecision.Bf16, 1));
        Assert.Equal(671_026_419_200L, ParameterCounter.Count(model).Total); // same hand count as the config test
    }
}
