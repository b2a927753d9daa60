using System.Globalization;

namespace InferCost.Core.Fit;

/// <summary>Maps GGUF metadata (llama.cpp's <c>{arch}.*</c> keys) to a <see cref="ModelArchitecture"/>. Pure and
/// thread-safe.</summary>
public static class GgufArchitectureMapper
{
    public static FitReadResult<ModelArchitecture> Map(GgufHeader header, string source, string fallbackName)
    {
        var diagnostics = new List<FitDiagnostic>();
        var meta = header.Metadata;
        if (Text(meta, "general.architecture") is not { } arch)
        {
            return FitReadResult<ModelArchitecture>.Failed(FitDiagnostic.Error(source, "general.architecture", null,
                "is missing; it names the model family whose keys describe the architecture"));
        }

        long? Number(string key, bool required)
        {
            if (!meta.TryGetValue(key, out var value))
            {
                if (required)
                {
                    diagnostics.Add(FitDiagnostic.Error(source, key, null, "is missing; it is needed to size the model"));
                }
                return null;
            }
            switch (value)
            {
                case long l when l >= 0:
                    return l;
                case ulong u when u <= long.MaxValue:
                    return (long)u;
                case GgufArray { Values: { Count: > 0 } values } when values.All(v => v is long) && values.Distinct().Count() == 1:
                    return (long)values[0]; // a per-layer array with one value throughout
                default:
                    diagnostics.Add(FitDiagnostic.Error(source, key, Describe(value), "must be a non-negative integer"));
                    return null;
            }
        }

        var layers = Number($"{arch}.block_count", true);
        var hidden = Number($"{arch}.embedding_length", true);
        var heads = Number($"{arch}.attention.head_count", true);
        var kvHeads = Number($"{arch}.attention.head_count_kv", false);
        var feedForward = Number($"{arch}.feed_forward_length", false);
        var vocab = Number($"{arch}.vocab_size", false)
            ?? (meta.TryGetValue("tokenizer.ggml.tokens", out var tokens) && tokens is GgufArray tokenArray ? (long)tokenArray.Length : null);
        if (vocab is null)
        {
            diagnostics.Add(FitDiagnostic.Error(source, $"{arch}.vocab_size", null,
                "is missing and there is no tokenizer.ggml.tokens array to count the vocabulary from"));
        }
        var experts = Number($"{arch}.expert_count", false) ?? 0;
        var expertWidth = Number($"{arch}.expert_feed_forward_length", false);
        if (experts == 0 || expertWidth is null)
        {
            feedForward ??= Number($"{arch}.feed_forward_length", true);
        }
        if (diagnostics.Count > 0 || layers is null || hidden is null || heads is null || vocab is null)
        {
            return new FitReadResult<ModelArchitecture>(null, diagnostics);
        }

        var layerCount = (int)layers.Value;
        var names = header.TensorNames.ToHashSet(StringComparer.Ordinal);
        var hasTensors = names.Count > 0;

        LatentAttention? mla = null;
        if (Number($"{arch}.attention.kv_lora_rank", false) is { } kvLoraRank)
        {
            var rope = Number($"{arch}.rope.dimension_count", true) ?? 0;
            var keyLength = Number($"{arch}.attention.key_length_mla", false) ?? Number($"{arch}.attention.key_length", true) ?? 0;
            var valueLength = Number($"{arch}.attention.value_length_mla", false) ?? Number($"{arch}.attention.value_length", true) ?? 0;
            mla = new LatentAttention
            {
                QLoraRank = (int?)Number($"{arch}.attention.q_lora_rank", false),
                KvLoraRank = (int)kvLoraRank,
                QkNopeHeadDim = (int)(keyLength - rope),
                QkRopeHeadDim = (int)rope,
                VHeadDim = (int)valueLength,
            };
        }

        MixtureOfExperts? moe = null;
        if (experts > 0)
        {
            var leadingDense = (int)(Number($"{arch}.leading_dense_block_count", false) ?? 0);
            var sharedCount = (int)(Number($"{arch}.expert_shared_count", false) ?? 0);
            var sharedWidth = Number($"{arch}.expert_shared_feed_forward_length", false);
            moe = new MixtureOfExperts
            {
                ExpertCount = (int)experts,
                ExpertsPerToken = (int)(Number($"{arch}.expert_used_count", true) ?? 0),
                ExpertIntermediateSize = expertWidth ?? feedForward ?? 0,
                SharedExpertCount = sharedWidth is > 0 ? 1 : sharedCount,
                SharedExpertIntermediateSize = sharedWidth ?? (sharedCount > 0 ? expertWidth ?? 0 : 0),
                SharedExpertGate = sharedWidth is > 0,
                RouterBias = names.Contains("blk.0.exp_probs_b.bias") || names.Contains($"blk.{leadingDense}.exp_probs_b.bias"),
                MoeLayers = Enumerable.Range(0, layerCount).Select(i => i >= leadingDense).ToArray(),
            };
        }

        var keyLengthPlain = Number($"{arch}.attention.key_length", false);
        var headDim = mla is not null
            ? mla.QkNopeHeadDim + mla.QkRopeHeadDim
            : (int)(keyLengthPlain ?? hidden.Value / heads.Value);

        var window = (int?)Number($"{arch}.attention.sliding_window", false);
        bool[] sliding = [];
        if (window is > 0)
        {
            sliding = arch switch
            {
                "gemma2" => Enumerable.Range(0, layerCount).Select(i => i % 2 == 0).ToArray(),
                "gemma3" => Enumerable.Range(0, layerCount).Select(i => (i + 1) % 6 != 0).ToArray(),
                _ => Enumerable.Repeat(true, layerCount).ToArray(),
            };
        }

        bool tied;
        if (hasTensors)
        {
            tied = !names.Contains("output.weight");
        }
        else
        {
            tied = arch is "gemma" or "gemma2" or "gemma3";
            diagnostics.Add(FitDiagnostic.Warning(source, null, null,
                $"lists no tensors, so tied embeddings cannot be checked; assumed {(tied ? "tied" : "untied")}"));
        }

        var architecture = new ModelArchitecture
        {
            Name = Text(meta, "general.name") ?? fallbackName,
            Source = source,
            ModelType = arch,
            HiddenSize = hidden.Value,
            LayerCount = layerCount,
            AttentionHeadCount = (int)heads.Value,
            KvHeadCount = (int)(kvHeads ?? heads.Value),
            HeadDim = headDim,
            IntermediateSize = feedForward ?? 0,
            VocabSize = vocab.Value,
            TieWordEmbeddings = tied,
            QkvBias = hasTensors ? names.Contains("blk.0.attn_q.bias") : arch is "qwen2" or "qwen2moe",
            OutputBias = hasTensors && names.Contains("blk.0.attn_output.bias"),
            QkNorm = hasTensors ? names.Contains("blk.0.attn_q_norm.weight") : arch is "qwen3" or "qwen3moe" or "gemma3",
            NormsPerLayer = arch is "gemma2" or "gemma3" ? 4 : 2,
            Moe = moe,
            Mla = mla,
            SlidingWindowTokens = window is > 0 ? window : null,
            SlidingLayers = sliding,
            MaxContextTokens = Number($"{arch}.context_length", false),
            NativeWeights = NativeWeights(meta, source, diagnostics),
        };
        return diagnostics.Any(d => d.Severity == FitSeverity.Error)
            ? new FitReadResult<ModelArchitecture>(null, diagnostics)
            : new FitReadResult<ModelArchitecture>(architecture, diagnostics);
    }

    private static WeightPrecision NativeWeights(IReadOnlyDictionary<string, object> meta, string source, List<FitDiagnostic> diagnostics)
    {
        if (!meta.TryGetValue("general.file_type", out var value) || value is not long fileType)
        {
            return WeightPrecision.Bf16;
        }
        // llama_ftype numbering: 1 F16, 2 Q4_0, 3 Q4_1, 7 Q8_0, 14 Q4_K_S, 15 Q4_K_M, 32 BF16.
        switch (fileType)
        {
            case 1:
                return WeightPrecision.Fp16;
            case 32:
                return WeightPrecision.Bf16;
            case 7:
                return WeightPrecision.Int8;
            case 2 or 3 or 14 or 15:
                diagnostics.Add(FitDiagnostic.Warning(source, "general.file_type", fileType.ToString(CultureInfo.InvariantCulture),
                    "is a 4-bit quantization; weights are sized at 4 bits per linear weight, without block scales"));
                return WeightPrecision.Int4;
            default:
                diagnostics.Add(FitDiagnostic.Warning(source, "general.file_type", fileType.ToString(CultureInfo.InvariantCulture),
                    "mixes bit widths that have no single size here; weights are sized at bf16 unless --weights says otherwise"));
                return WeightPrecision.Bf16;
        }
    }

    private static string? Text(IReadOnlyDictionary<string, object> meta, string key) =>
        meta.TryGetValue(key, out var value) && value is string s ? s : null;

    private static string Describe(object value) => value switch
    {
        GgufArray array => $"an array of {array.Length.ToString(CultureInfo.InvariantCulture)}",
        string s => $"\"{s}\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
