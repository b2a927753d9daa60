namespace InferCost.Core.Fit;

/// <summary>How a model's attention stores keys and values.</summary>
public enum AttentionKind
{
    /// <summary>Multi-head attention: one key/value head per query head.</summary>
    Mha,

    /// <summary>Grouped-query attention: fewer key/value heads than query heads, more than one.</summary>
    Gqa,

    /// <summary>Multi-query attention: a single key/value head.</summary>
    Mqa,

    /// <summary>Multi-head latent attention (DeepSeek-V2/V3): a compressed latent plus a shared rotary key.</summary>
    Mla,
}

/// <summary>The architecture of a decoder-only transformer, as far as memory and bandwidth depend on it.
/// Immutable; all sizes are element counts (not bytes) unless the name says otherwise.</summary>
public sealed record ModelArchitecture
{
    /// <summary>Display name (catalog name, general.name from GGUF, or the config file's name).</summary>
    public required string Name { get; init; }

    /// <summary>Where the architecture came from: a catalog source URL or the file path the user gave.</summary>
    public required string Source { get; init; }

    /// <summary>Hugging Face <c>model_type</c> or GGUF <c>general.architecture</c>.</summary>
    public required string ModelType { get; init; }

    public required long HiddenSize { get; init; }

    public required int LayerCount { get; init; }

    public required int AttentionHeadCount { get; init; }

    /// <summary>Key/value heads. For latent attention this is the config's value, which does not size the cache.</summary>
    public required int KvHeadCount { get; init; }

    /// <summary>Dimension of one attention head: the config's <c>head_dim</c> when given, else hidden / heads.</summary>
    public required int HeadDim { get; init; }

    /// <summary>Width of the dense feed-forward layer (gated: gate, up and down projections).</summary>
    public required long IntermediateSize { get; init; }

    public required long VocabSize { get; init; }

    /// <summary>True when the output projection reuses the input embedding matrix.</summary>
    public required bool TieWordEmbeddings { get; init; }

    /// <summary>Biases on the query, key and value projections (Qwen2).</summary>
    public bool QkvBias { get; init; }

    /// <summary>Bias on the attention output projection.</summary>
    public bool OutputBias { get; init; }

    /// <summary>Biases on the feed-forward projections.</summary>
    public bool MlpBias { get; init; }

    /// <summary>Per-head RMS norms on queries and keys (Qwen3), head_dim weights each.</summary>
    public bool QkNorm { get; init; }

    /// <summary>Norm weight vectors of hidden size per layer (2 for most models, 4 for Gemma 2 and 3).</summary>
    public int NormsPerLayer { get; init; } = 2;

    /// <summary>Mixture-of-experts feed-forward layers, or null for a dense model.</summary>
    public MixtureOfExperts? Moe { get; init; }

    /// <summary>Multi-head latent attention, or null for standard attention.</summary>
    public LatentAttention? Mla { get; init; }

    /// <summary>Sliding-window size in tokens, or null when every layer attends to the whole context.</summary>
    public int? SlidingWindowTokens { get; init; }

    /// <summary>Which layers use the sliding window (index = layer). Empty when <see cref="SlidingWindowTokens"/> is null.</summary>
    public IReadOnlyList<bool> SlidingLayers { get; init; } = [];

    /// <summary>The context the model was configured for (<c>max_position_embeddings</c>), if known.</summary>
    public long? MaxContextTokens { get; init; }

    /// <summary>The weight format the checkpoint ships in when no precision is asked for.</summary>
    public WeightPrecision NativeWeights { get; init; } = WeightPrecision.Bf16;

    public AttentionKind Attention =>
        Mla is not null ? AttentionKind.Mla
        : KvHeadCount == AttentionHeadCount ? AttentionKind.Mha
        : KvHeadCount == 1 ? AttentionKind.Mqa
        : AttentionKind.Gqa;

    public int SlidingLayerCount => SlidingLayers.Count(s => s);
}

/// <summary>Mixture-of-experts feed-forward layers.</summary>
public sealed record MixtureOfExperts
{
    /// <summary>Routed experts per MoE layer.</summary>
    public required int ExpertCount { get; init; }

    /// <summary>Routed experts each token uses.</summary>
    public required int ExpertsPerToken { get; init; }

    /// <summary>Width of one routed expert's gated feed-forward.</summary>
    public required long ExpertIntermediateSize { get; init; }

    /// <summary>Shared experts every token uses (DeepSeek).</summary>
    public int SharedExpertCount { get; init; }

    /// <summary>Width of one shared expert.</summary>
    public long SharedExpertIntermediateSize { get; init; }

    /// <summary>A sigmoid gate (hidden → 1) on the shared expert (Qwen2-MoE).</summary>
    public bool SharedExpertGate { get; init; }

    /// <summary>A per-expert score-correction bias in the router (DeepSeek-V3's <c>noaux_tc</c>).</summary>
    public bool RouterBias { get; init; }

    /// <summary>Which layers are MoE (index = layer); the rest use the dense feed-forward.</summary>
    public required IReadOnlyList<bool> MoeLayers { get; init; }

    public int MoeLayerCount => MoeLayers.Count(m => m);
}

/// <summary>Multi-head latent attention dimensions (DeepSeek-V2/V3 config keys).</summary>
public sealed record LatentAttention
{
    /// <summary><c>q_lora_rank</c>; null when queries are projected directly.</summary>
    public int? QLoraRank { get; init; }

    /// <summary><c>kv_lora_rank</c>: width of the cached latent.</summary>
    public required int KvLoraRank { get; init; }

    /// <summary><c>qk_nope_head_dim</c>.</summary>
    public required int QkNopeHeadDim { get; init; }

    /// <summary><c>qk_rope_head_dim</c>: width of the cached rotary key, shared by all heads.</summary>
    public required int QkRopeHeadDim { get; init; }

    /// <summary><c>v_head_dim</c>.</summary>
    public required int VHeadDim { get; init; }
}
