using InferCost.Core.Fit;

namespace InferCost.Core.Tests.Fit;

/// <summary>Parameter counts and KV bytes per token against hand computations from the models' real config.json
/// values (tests/fixtures/fit). Each expected value is derived in the test from the config numbers.</summary>
public sealed class ParameterAndKvTests
{
    [Fact]
    public void Llama_3_1_8B_has_8_03_billion_parameters_and_131072_kv_bytes_per_token()
    {
        var model = FitFixtures.Config("llama-3.1-8b.config.json");

        // hidden 4096, 32 heads of 4096/32 = 128, 8 KV heads, intermediate 14336, vocab 128256, untied.
        const long attention = 4096L * 4096 + 2 * 4096L * (8 * 128) + 4096L * 4096; // q, k, v, o = 41,943,040
        const long mlp = 3 * 4096L * 14336;                                           // gate, up, down = 176,160,768
        const long norms = 2 * 4096L;
        const long perLayer = attention + mlp + norms;                                // 218,112,000
        const long embeddings = 2 * 128256L * 4096;                                   // embed_tokens + lm_head
        const long expected = 32 * perLayer + embeddings + 4096;                      // + final norm
        Assert.Equal(8_030_261_248L, expected);

        var count = ParameterCounter.Count(model);
        Assert.Equal(expected, count.Total);
        Assert.Equal(expected, count.ActivePerToken);
        Assert.Equal(AttentionKind.Gqa, model.Attention);

        // 2 (K and V) × 32 layers × 8 KV heads × 128 head_dim × 2 bytes (bf16)
        Assert.Equal(2L * 32 * 8 * 128 * 2, KvCache.BytesPerTokenPerGpu(model, KvPrecision.Bf16, 1));
        Assert.Equal(131_072L, KvCache.BytesPerTokenPerGpu(model, KvPrecision.Bf16, 1));
        // fp8 KV halves it.
        Assert.Equal(65_536L, KvCache.BytesPerTokenPerGpu(model, KvPrecision.Fp8, 1));
    }

    [Fact]
    public void Qwen3_32B_uses_its_explicit_head_dim_128_not_hidden_over_heads()
    {
        var model = FitFixtures.Config("qwen3-32b.config.json");

        // hidden/heads = 5120/64 = 80, but the config says head_dim 128: queries are 64 × 128 = 8192 wide.
        Assert.Equal(128, model.HeadDim);
        const long q = 5120L * (64 * 128);               // 41,943,040
        const long kv = 2 * 5120L * (8 * 128);           // k and v: 10,485,760
        const long o = (64 * 128) * 5120L;               // 41,943,040
        const long qkNorm = 2 * 128;                     // Qwen3's per-head q_norm and k_norm
        const long mlp = 3 * 5120L * 25600;              // 393,216,000
        const long norms = 2 * 5120L;
        const long perLayer = q + kv + o + qkNorm + mlp + norms; // 487,598,336
        const long expected = 64 * perLayer + 2 * 151936L * 5120 + 5120;
        Assert.Equal(32_762_123_264L, expected);

        Assert.Equal(expected, ParameterCounter.Count(model).Total);
        // 2 × 64 layers × 8 KV heads × 128 × 2 bytes = 262,144 (with head_dim 80 it would wrongly be 163,840).
        Assert.Equal(2L * 64 * 8 * 128 * 2, KvCache.BytesPerTokenPerGpu(model, KvPrecision.Bf16, 1));
        Assert.NotEqual(2L * 64 * 8 * 80 * 2, KvCache.BytesPerTokenPerGpu(model, KvPrecision.Bf16, 1));
    }

    [Fact]
    public void Mixtral_8x7B_has_46_7_billion_parameters_and_about_12_9_billion_active()
    {
        var model = FitFixtures.Config("mixtral-8x7b.config.json");

        const long attention = 41_943_040L;              // as Llama-3.1-8B: 4096 hidden, 32 heads, 8 KV heads
        const long expert = 3 * 4096L * 14336;           // 176,160,768 per expert
        const long router = 4096L * 8;
        const long norms = 2 * 4096L;
        const long embeddings = 2 * 32000L * 4096;       // 262,144,000
        const long total = 32 * (attention + 8 * expert + router + norms) + embeddings + 4096;
        const long active = 32 * (attention + 2 * expert + router + norms) + embeddings + 4096;
        Assert.Equal(46_702_792_704L, total);
        Assert.Equal(12_879_925_248L, active);

        var count = ParameterCounter.Count(model);
        Assert.Equal(total, count.Total);
        Assert.Equal(active, count.ActivePerToken);
        Assert.Equal(2L * 32 * 8 * 128 * 2, KvCache.BytesPerTokenPerGpu(model, KvPrecision.Bf16, 1));
    }

    [Fact]
    public void DeepSeek_V3_caches_the_latent_not_128_kv_heads()
    {
        var model = FitFixtures.Config("deepseek-v3.config.json");
        Assert.Equal(AttentionKind.Mla, model.Attention);
        Assert.Equal(128, model.KvHeadCount); // the config's value, which must not size the cache

        // layers × (kv_lora_rank + qk_rope_head_dim) × 2 bytes, no factor 2 for K and V: 61 × 576 × 2
        Assert.Equal(61L * (512 + 64) * 2, KvCache.BytesPerTokenPerGpu(model, KvPrecision.Bf16, 1));
        Assert.Equal(70_272L, KvCache.BytesPerTokenPerGpu(model, KvPrecision.Bf16, 1));
        // The naive 2 × layers × kvHeads × head_dim(192) × 2 would be 57 times larger.
        Assert.NotEqual(2L * 61 * 128 * 192 * 2, KvCache.BytesPerTokenPerGpu(model, KvPrecision.Bf16, 1));
    }

    [Fact]
    public void DeepSeek_V3_has_671_billion_parameters_and_about_37_billion_active()
    {
        var model = FitFixtures.Config("deepseek-v3.config.json");

        const long h = 7168;
        const long attention =
            h * 1536                      // q_a_proj
            + 1536                        // q_a_layernorm
            + 1536L * 128 * (128 + 64)    // q_b_proj
            + h * (512 + 64)              // kv_a_proj_with_mqa
            + 512                         // kv_a_layernorm
            + 512L * 128 * (128 + 128)    // kv_b_proj
            + 128L * 128 * h;             // o_proj
        Assert.Equal(187_107_328L, attention);
        const long norms = 2 * h;
        const long denseMlp = 3 * h * 18432;
        const long expert = 3 * h * 2048;                // 44,040,192, routed and shared alike
        const long router = 256 * h + 256;               // gate weight + e_score_correction_bias (noaux_tc)
        const long denseLayer = attention + norms + denseMlp;
        const long moeLayer = attention + norms + 256 * expert + 1 * expert + router;
        const long activeMoeLayer = attention + norms + 8 * expert + 1 * expert + router;
        const long embeddings = 2 * 129280L * h;
        const long total = 3 * denseLayer + 58 * moeLayer + embeddings + h;
        const long active = 3 * denseLayer + 58 * activeMoeLayer + embeddings + h;
        Assert.Equal(671_026_419_200L, total);
        Assert.Equal(37_552_297_472L, active);

        var count = ParameterCounter.Count(model);
        Assert.Equal(total, count.Total);
        Assert.Equal(active, count.ActivePerToken);
        Assert.Equal(WeightPrecision.Fp8, model.NativeWeights); // quantization_config.quant_method = fp8
    }

    [Fact]
    public void Mistral_7B_sliding_window_caps_each_session_at_4096_tokens()
    {
        var model = FitFixtures.Config("mistral-7b-v0.1.config.json");
        Assert.Equal(4096, model.SlidingWindowTokens);
        Assert.Equal(32, model.SlidingLayerCount);

        const long perTokenPerLayer = 2L * 8 * 128 * 2; // 4,096 bytes
        // Below the window the whole context is cached: 32 layers × 4096 B × 2048 tokens.
        Assert.Equal(32 * perTokenPerLayer * 2048, KvCache.BytesPerSessionPerGpu(model, KvPrecision.Bf16, 1, 2048));
        // At 32,768 tokens each layer still holds only 4,096: 32 × 4096 × 4096 = 536,870,912 (not 4 GiB).
        Assert.Equal(536_870_912L, KvCache.BytesPerSessionPerGpu(model, KvPrecision.Bf16, 1, 32768));
        Assert.Equal(32 * perTokenPerLayer * 4096, KvCache.BytesPerSessionPerGpu(model, KvPrecision.Bf16, 1, 32768));
        // 7,241,732,096 parameters: Llama-3.1-8B's layers with a 32,000-token vocabulary.
        Assert.Equal(32 * 218_112_000L + 2 * 32000L * 4096 + 4096, ParameterCounter.Count(model).Total);
    }

    [Fact]
    public void Gemma_2_alternates_sliding_and_global_layers()
    {
        var model = ModelCatalog.BuiltIn.Find("gemma-2-27b").Match!.Architecture;
        Assert.Equal(23, model.SlidingLayerCount); // even layers of 46 are local
        Assert.True(model.TieWordEmbeddings);       // Gemma's default when the config omits the key

        const long perTokenPerLayer = 2L * 16 * 128 * 2; // 8,192 bytes
        // 23 global layers hold 8,192 tokens, 23 local layers hold the 4,096-token window.
        Assert.Equal(perTokenPerLayer * (23 * 8192 + 23 * 4096), KvCache.BytesPerSessionPerGpu(model, KvPrecision.Bf16, 1, 8192));
        // 46 layers × (attention 56,623,104 + MLP 509,607,936 + 4 norms) + one tied 256000 × 4608 table + final norm.
        Assert.Equal(46 * (56_623_104L + 3 * 4608L * 36864 + 4 * 4608) + 256000L * 4608 + 4608, ParameterCounter.Count(model).Total);
    }

    [Fact]
    public void Tensor_parallelism_beyond_the_kv_heads_replicates_one_head_per_gpu()
    {
        var model = ModelCatalog.BuiltIn.Find("Llama-3.1-70B").Match!.Architecture; // 80 layers, 8 KV heads
        const long perHead = 2L * 80 * 128 * 2; // K and V of one head across 80 layers: 40,960 bytes per token

        Assert.Equal(8 * perHead, KvCache.BytesPerTokenPerGpu(model, KvPrecision.Bf16, 1));
        Assert.Equal(2 * perHead, KvCache.BytesPerTokenPerGpu(model, KvPrecision.Bf16, 4));  // 8 / 4 = 2 heads each
        Assert.Equal(1 * perHead, KvCache.BytesPerTokenPerGpu(model, KvPrecision.Bf16, 8));  // 8 / 8 = 1
        Assert.Equal(1 * perHead, KvCache.BytesPerTokenPerGpu(model, KvPrecision.Bf16, 16)); // max(1, 8 / 16): replicated
        Assert.True(FitCalculator.IsValidTensorParallel(model, 16));  // 16 is a multiple of 8 KV heads
        Assert.False(FitCalculator.IsValidTensorParallel(model, 3));  // 64 heads do not split 3 ways
    }

    [Fact]
    public void Latent_attention_cache_is_replicated_on_every_gpu()
    {
        var model = FitFixtures.Config("deepseek-v3.config.json");
        Assert.Equal(70_272L, KvCache.BytesPerTokenPerGpu(model, KvPrecision.Bf16, 8));
        Assert.Equal(61L * 576, KvCache.BytesPerTokenPerGpu(model, KvPrecision.Fp8, 8));
    }

    [Fact]
    public void Tied_embeddings_are_counted_once()
    {
        var model = ModelCatalog.BuiltIn.Find("Llama-3.2-3B").Match!.Architecture;
        // hidden 3072, 24 heads × head_dim 128, 8 KV heads, intermediate 8192, 28 layers, vocab 128256, tied.
        const long attention = 3072L * 3072 + 2 * 3072L * 1024 + 3072L * 3072;
        const long perLayer = attention + 3 * 3072L * 8192 + 2 * 3072;
        const long expected = 28 * perLayer + 128256L * 3072 + 3072; // 3,212,749,824
        Assert.Equal(3_212_749_824L, expected);
        var count = ParameterCounter.Count(model);
        Assert.Equal(expected, count.Total);
        Assert.Equal(0, count.OutputHead);
    }

    [Fact]
    public void Qwen2_counts_its_query_key_value_biases()
    {
        var model = ModelCatalog.BuiltIn.Find("Qwen2.5-7B-Instruct").Match!.Architecture;
        // hidden 3584, 28 heads × 128, 4 KV heads, intermediate 18944, 28 layers, vocab 152064, untied.
        const long weights = 3584L * 3584 + 2 * 3584L * 512 + 3584L * 3584;
        const long biases = 3584 + 2 * 512;
        const long perLayer = weights + biases + 3 * 3584L * 18944 + 2 * 3584;
        const long expected = 28 * perLayer + 2 * 152064L * 3584 + 3584;
        Assert.Equal(expected, ParameterCounter.Count(model).Total);
    }

    [Fact]
    public void Fp8_weights_quantize_linear_layers_and_keep_embeddings_at_16_bits()
    {
        var count = ParameterCounter.Count(FitFixtures.Config("llama-3.1-8b.config.json"));
        const long linear = 32 * (41_943_040L + 176_160_768L);       // 6,979,321,856 at 1 byte
        const long sixteenBit = 32 * 2 * 4096L + 4096 + 2 * 128256L * 4096; // norms + embeddings at 2 bytes
        Assert.Equal(linear + 2 * sixteenBit, WeightBytes.Total(count, WeightPrecision.Fp8));
        Assert.Equal(9_081_200_640L, WeightBytes.Total(count, WeightPrecision.Fp8)); // 6,979,321,856 + 2 × 1,050,939,392
        Assert.Equal(2 * 8_030_261_248L, WeightBytes.Total(count, WeightPrecision.Bf16));
        Assert.Equal(linear / 2 + 2 * sixteenBit, WeightBytes.Total(count, WeightPrecision.Int4));
    }
}
