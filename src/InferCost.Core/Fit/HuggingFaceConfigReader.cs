using System.Globalization;
using System.Text.Json;

namespace InferCost.Core.Fit;

/// <summary>Reads a Hugging Face <c>config.json</c> into a <see cref="ModelArchitecture"/>. Reports every missing or
/// malformed key it needs, by name; never throws for bad input. Stateless and thread-safe.</summary>
public static class HuggingFaceConfigReader
{
    private static readonly string[] GemmaTypes = ["gemma", "gemma2", "gemma3", "gemma3_text"];
    private static readonly string[] QwenBiasTypes = ["qwen2", "qwen2_moe"];
    private static readonly string[] QkNormTypes = ["qwen3", "qwen3_moe", "gemma3", "gemma3_text"];
    private static readonly string[] FourNormTypes = ["gemma2", "gemma3", "gemma3_text"];

    /// <summary>Reads a config.json from <paramref name="stream"/>.</summary>
    /// <param name="stream">UTF-8 JSON.</param>
    /// <param name="source">The file as the user named it, for diagnostics and provenance.</param>
    /// <param name="name">Display name for the model.</param>
    public static FitReadResult<ModelArchitecture> Read(Stream stream, string source, string name)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}" : string.Empty;
            return FitReadResult<ModelArchitecture>.Failed(
                FitDiagnostic.Error(source, null, null, $"is neither a GGUF file nor valid JSON{where}"));
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return FitReadResult<ModelArchitecture>.Failed(
                    FitDiagnostic.Error(source, null, null, "is JSON but not an object; a Hugging Face config.json is one object"));
            }
            return Read(document.RootElement, source, name);
        }
    }

    /// <summary>Reads an already-parsed config object (used by the built-in catalog).</summary>
    public static FitReadResult<ModelArchitecture> Read(JsonElement root, string source, string name)
    {
        // Multimodal checkpoints (Gemma 3, Llama 4, Qwen-VL) nest the language model under text_config.
        if (!root.TryGetProperty("hidden_size", out _)
            && root.TryGetProperty("text_config", out var text) && text.ValueKind == JsonValueKind.Object)
        {
            root = text;
        }
        var keys = new ConfigKeys(root, source);
        var modelType = keys.String("model_type") ?? "unknown";

        var hidden = keys.Long("hidden_size", required: true);
        var layers = keys.Int("num_hidden_layers", required: true);
        var heads = keys.Int("num_attention_heads", required: true);
        var vocab = keys.Long("vocab_size", required: true);
        var kvHeads = keys.Int("num_key_value_heads", required: false);
        var explicitHeadDim = keys.Int("head_dim", required: false);

        var mla = ReadLatentAttention(keys);
        var moe = layers is > 0 ? ReadMoe(keys, modelType, layers.Value) : null;
        var needsDenseWidth = moe is null || moe.MoeLayerCount < layers || !root.TryGetProperty("moe_intermediate_size", out _);
        var intermediate = keys.Long("intermediate_size", required: needsDenseWidth) ?? 0;
        if (moe is not null && moe.ExpertIntermediateSize == 0)
        {
            moe = moe with { ExpertIntermediateSize = intermediate };
        }

        if (keys.HasErrors || hidden is null || layers is null || heads is null || vocab is null)
        {
            return new FitReadResult<ModelArchitecture>(null, keys.Diagnostics);
        }

        int headDim;
        if (explicitHeadDim is { } given)
        {
            headDim = given;
        }
        else if (mla is not null)
        {
            headDim = mla.QkNopeHeadDim + mla.QkRopeHeadDim;
        }
        else if (hidden.Value % heads.Value == 0)
        {
            headDim = (int)(hidden.Value / heads.Value);
        }
        else
        {
            keys.Diagnostics.Add(FitDiagnostic.Error(source, "head_dim", null,
                $"is missing and hidden_size {hidden} is not divisible by num_attention_heads {heads}, so the head size is unknown"));
            return new FitReadResult<ModelArchitecture>(null, keys.Diagnostics);
        }

        if (kvHeads is null && mla is null)
        {
            keys.Diagnostics.Add(FitDiagnostic.Warning(source, "num_key_value_heads", null,
                "is missing; assumed equal to num_attention_heads (multi-head attention), as transformers does"));
        }

        var tied = keys.Bool("tie_word_embeddings");
        if (tied is null && modelType == "unknown")
        {
            keys.Diagnostics.Add(FitDiagnostic.Warning(source, "tie_word_embeddings", null,
                "is missing and model_type is unknown; assumed untied (a separate output matrix)"));
        }

        var attentionBias = keys.Bool("attention_bias") ?? false;
        var (window, slidingLayers) = ReadSlidingWindow(keys, modelType, layers.Value);

        var architecture = new ModelArchitecture
        {
            Name = name,
            Source = source,
            ModelType = modelType,
            HiddenSize = hidden.Value,
            LayerCount = layers.Value,
            AttentionHeadCount = heads.Value,
            KvHeadCount = kvHeads ?? heads.Value,
            HeadDim = headDim,
            IntermediateSize = intermediate,
            VocabSize = vocab.Value,
            TieWordEmbeddings = tied ?? GemmaTypes.Contains(modelType),
            QkvBias = QwenBiasTypes.Contains(modelType) || attentionBias,
            OutputBias = attentionBias,
            MlpBias = keys.Bool("mlp_bias") ?? false,
            QkNorm = QkNormTypes.Contains(modelType),
            NormsPerLayer = FourNormTypes.Contains(modelType) ? 4 : 2,
            Moe = moe,
            Mla = mla,
            SlidingWindowTokens = window,
            SlidingLayers = slidingLayers,
            MaxContextTokens = keys.Long("max_position_embeddings", required: false),
            NativeWeights = ReadNativeWeights(root),
        };
        return keys.HasErrors
            ? new FitReadResult<ModelArchitecture>(null, keys.Diagnostics)
            : new FitReadResult<ModelArchitecture>(architecture, keys.Diagnostics);
    }

    private static LatentAttention? ReadLatentAttention(ConfigKeys keys)
    {
        var kvLoraRank = keys.Int("kv_lora_rank", required: false);
        if (kvLoraRank is null)
        {
            return null;
        }
        var nope = keys.Int("qk_nope_head_dim", required: true);
        var rope = keys.Int("qk_rope_head_dim", required: true);
        var v = keys.Int("v_head_dim", required: true);
        if (nope is null || rope is null || v is null)
        {
            return null;
        }
        return new LatentAttention
        {
            QLoraRank = keys.Int("q_lora_rank", required: false),
            KvLoraRank = kvLoraRank.Value,
            QkNopeHeadDim = nope.Value,
            QkRopeHeadDim = rope.Value,
            VHeadDim = v.Value,
        };
    }

    private static MixtureOfExperts? ReadMoe(ConfigKeys keys, string modelType, int layers)
    {
        var expertKey = new[] { "num_local_experts", "num_experts", "n_routed_experts" }
            .FirstOrDefault(k => keys.Int(k, required: false) is > 0);
        if (expertKey is null)
        {
            return null;
        }
        var experts = keys.Int(expertKey, required: true)!.Value;
        var perToken = keys.Int("num_experts_per_tok", required: true) ?? 0;
        var expertWidth = keys.Long("moe_intermediate_size", required: false) ?? 0;

        var sharedCount = keys.Int("n_shared_experts", required: false) ?? 0;
        var sharedWidth = sharedCount > 0 ? expertWidth : 0;
        var sharedGate = false;
        if (keys.Long("shared_expert_intermediate_size", required: false) is > 0 and var qwenShared)
        {
            sharedCount = 1;
            sharedWidth = qwenShared;
            sharedGate = true;
        }

        var firstDense = keys.Int("first_k_dense_replace", required: false) ?? 0;
        var frequency = Math.Max(1, keys.Int("moe_layer_freq", required: false) ?? 1);
        var sparseStep = Math.Max(1, keys.Int("decoder_sparse_step", required: false) ?? 1);
        var denseOnly = keys.IntArray("mlp_only_layers");
        var moeLayers = Enumerable.Range(0, layers)
            .Select(i => i >= firstDense && i % frequency == 0 && (i + 1) % sparseStep == 0 && !denseOnly.Contains(i))
            .ToArray();

        return new MixtureOfExperts
        {
            ExpertCount = experts,
            ExpertsPerToken = perToken,
            ExpertIntermediateSize = expertWidth,
            SharedExpertCount = sharedCount,
            SharedExpertIntermediateSize = sharedWidth,
            SharedExpertGate = sharedGate,
            RouterBias = keys.String("topk_method") == "noaux_tc" || modelType == "deepseek_v3",
            MoeLayers = moeLayers,
        };
    }

    private static (int? Window, bool[] Layers) ReadSlidingWindow(ConfigKeys keys, string modelType, int layers)
    {
        var window = keys.Int("sliding_window", required: false);
        var layerTypes = keys.StringArray("layer_types");
        if (window is null || window <= 0)
        {
            return (null, []);
        }
        if (layerTypes.Count > 0)
        {
            if (layerTypes.Count != layers)
            {
                keys.Diagnostics.Add(FitDiagnostic.Error(keys.Source, "layer_types", layerTypes.Count.ToString(CultureInfo.InvariantCulture),
                    $"lists a different number of layers than num_hidden_layers {layers}"));
                return (null, []);
            }
            var fromTypes = layerTypes.Select(t => t == "sliding_attention").ToArray();
            return fromTypes.Any(s => s) ? (window, fromTypes) : (null, []);
        }
        if (keys.Bool("use_sliding_window") == false)
        {
            return (null, []);
        }
        bool[] sliding;
        if (modelType == "gemma2")
        {
            // Gemma 2 alternates: even layers are local (sliding), odd layers global.
            sliding = Enumerable.Range(0, layers).Select(i => i % 2 == 0).ToArray();
        }
        else if (modelType is "gemma3" or "gemma3_text")
        {
            var pattern = Math.Max(1, keys.Int("sliding_window_pattern", required: false) ?? 6);
            sliding = Enumerable.Range(0, layers).Select(i => (i + 1) % pattern != 0).ToArray();
        }
        else if (keys.Bool("use_sliding_window") == true && keys.Int("max_window_layers", required: false) is { } fullLayers)
        {
            sliding = Enumerable.Range(0, layers).Select(i => i >= fullLayers).ToArray();
        }
        else
        {
            sliding = Enumerable.Repeat(true, layers).ToArray();
        }
        return (window, sliding);
    }

    private static WeightPrecision ReadNativeWeights(JsonElement root)
    {
        if (root.TryGetProperty("quantization_config", out var quant) && quant.ValueKind == JsonValueKind.Object)
        {
            var method = quant.TryGetProperty("quant_method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var bits = quant.TryGetProperty("bits", out var b) && b.ValueKind == JsonValueKind.Number && b.TryGetInt32(out var n) ? n : (int?)null;
            if (string.Equals(method, "fp8", StringComparison.OrdinalIgnoreCase))
            {
                return WeightPrecision.Fp8;
            }
            if (bits == 4)
            {
                return WeightPrecision.Int4;
            }
            if (bits == 8)
            {
                return WeightPrecision.Int8;
            }
        }
        return root.TryGetProperty("torch_dtype", out var dtype) && dtype.ValueKind == JsonValueKind.String && dtype.GetString() == "float16"
            ? WeightPrecision.Fp16
            : WeightPrecision.Bf16;
    }

    /// <summary>Typed access to config keys that records a diagnostic for each missing or malformed one.</summary>
    private sealed class ConfigKeys(JsonElement root, string source)
    {
        public string Source { get; } = source;

        public List<FitDiagnostic> Diagnostics { get; } = [];

        public bool HasErrors => Diagnostics.Any(d => d.Severity == FitSeverity.Error);

        private readonly HashSet<string> _reported = [];

        public long? Long(string key, bool required)
        {
            if (!root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    Report(key, null, "is missing; it is needed to size the model");
                }
                return null;
            }
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= 0)
            {
                return number;
            }
            Report(key, value.GetRawText(), "must be a non-negative whole number");
            return null;
        }

        public int? Int(string key, bool required)
        {
            var value = Long(key, required);
            if (value is > int.MaxValue)
            {
                Report(key, value.Value.ToString(CultureInfo.InvariantCulture), "is too large");
                return null;
            }
            return (int?)value;
        }

        public bool? Bool(string key) =>
            root.TryGetProperty(key, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? value.GetBoolean()
                : null;

        public string? String(string key) =>
            root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        public IReadOnlyList<int> IntArray(string key) =>
            root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Array
                ? value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out _)).Select(e => e.GetInt32()).ToArray()
                : [];

        public IReadOnlyList<string> StringArray(string key) =>
            root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Array
                ? value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() ?? string.Empty : string.Empty).ToArray()
                : [];

        private void Report(string key, string? value, string message)
        {
            if (_reported.Add(key))
            {
                Diagnostics.Add(FitDiagnostic.Error(Source, key, value, message));
            }
        }
    }
}
