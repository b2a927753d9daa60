namespace InferCost.Core.Fit;

/// <summary>KV-cache sizes. Standard and grouped-query attention cache a key and a value per KV head per layer:
/// 2 × layers × kvHeads × headDim × bytes per token. Latent attention (DeepSeek-V2/V3) caches one compressed latent
/// plus one shared rotary key per layer: layers × (kv_lora_rank + qk_rope_head_dim) × bytes, with no factor 2 and
/// regardless of <c>num_key_value_heads</c>. Sliding-window layers hold at most the window. Pure and thread-safe.</summary>
public static class KvCache
{
    /// <summary>KV heads each GPU holds under tensor parallelism over <paramref name="gpus"/>: the heads are split, and
    /// replicated once there are more GPUs than heads (max(1, kvHeads / gpus), rounded up when it does not divide).</summary>
    public static int KvHeadsPerGpu(ModelArchitecture model, int gpus) =>
        Math.Max(1, (model.KvHeadCount + gpus - 1) / gpus);

    /// <summary>Bytes one token adds to one layer's cache on one GPU.</summary>
    public static long BytesPerTokenPerLayerPerGpu(ModelArchitecture model, KvPrecision precision, int gpus)
    {
        var bytes = PrecisionFormat.BytesPerKvElement(precision);
        if (model.Mla is { } mla)
        {
            // The latent is shared by all heads, so tensor parallelism cannot split it: every GPU holds all of it.
            return (long)(mla.KvLoraRank + mla.QkRopeHeadDim) * bytes;
        }
        return 2L * KvHeadsPerGpu(model, gpus) * model.HeadDim * bytes;
    }

    /// <summary>Bytes one token adds to the cache on one GPU, across all layers, before any window applies.</summary>
    public static long BytesPerTokenPerGpu(ModelArchitecture model, KvPrecision precision, int gpus) =>
        model.LayerCount * BytesPerTokenPerLayerPerGpu(model, precision, gpus);

    /// <summary>Bytes one session of <paramref name="contextTokens"/> tokens holds on one GPU: full layers hold the
    /// whole context, sliding-window layers at most the window.</summary>
    public static long BytesPerSessionPerGpu(ModelArchitecture model, KvPrecision precision, int gpus, long contextTokens)
    {
        var perLayer = BytesPerTokenPerLayerPerGpu(model, precision, gpus);
        long total = 0;
        for (var layer = 0; layer < model.LayerCount; layer++)
        {
            var sliding = model.SlidingWindowTokens is { } window && layer < model.SlidingLayers.Count && model.SlidingLayers[layer];
            var tokens = sliding ? Math.Min(contextTokens, model.SlidingWindowTokens!.Value) : contextTokens;
            total += perLayer * tokens;
        }
        return total;
    }
}
