namespace InferCost.Core.Fit;

/// <summary>Parameter counts of a model, split by how they are stored and read. All values are parameter counts
/// (elements), not bytes.</summary>
public sealed record ParameterCount
{
    /// <summary>Every parameter of the checkpoint's language model (multi-token-prediction heads excluded).</summary>
    public required long Total { get; init; }

    /// <summary>Parameters one token passes through: all but the routed experts it was not sent to.
    /// Counts both embedding matrices, as model cards do.</summary>
    public required long ActivePerToken { get; init; }

    /// <summary>Linear-layer weights (attention projections, feed-forward and expert matrices): the part that
    /// fp8/int8/int4 quantization stores at lower precision.</summary>
    public required long Linear { get; init; }

    /// <summary>Input embedding matrix (vocab × hidden).</summary>
    public required long InputEmbedding { get; init; }

    /// <summary>Output projection (vocab × hidden), or 0 when tied to the input embedding.</summary>
    public required long OutputHead { get; init; }

    /// <summary>Norm weights, biases and routers: kept at 16 bits under every weight precision.</summary>
    public required long Other { get; init; }

    /// <summary>Parameters of one routed expert (gate, up and down projections), 0 for a dense model.</summary>
    public required long PerRoutedExpert { get; init; }

    /// <summary>Routed experts across all MoE layers (<see cref="PerRoutedExpert"/> × experts × MoE layers).</summary>
    public required long RoutedExperts { get; init; }
}

/// <summary>Counts parameters from an architecture. Pure and thread-safe.</summary>
public static class ParameterCounter
{
    public static ParameterCount Count(ModelArchitecture model)
    {
        var h = model.HiddenSize;
        long attentionLinear;
        long attentionOther;
        if (model.Mla is { } mla)
        {
            var heads = (long)model.AttentionHeadCount;
            var qHeadDim = (long)mla.QkNopeHeadDim + mla.QkRopeHeadDim;
            var queries = mla.QLoraRank is { } qRank
                ? h * qRank + qRank * heads * qHeadDim          // q_a_proj, q_b_proj
                : h * heads * qHeadDim;                          // q_proj
            attentionLinear = queries
                + h * (mla.KvLoraRank + mla.QkRopeHeadDim)        // kv_a_proj_with_mqa
                + (long)mla.KvLoraRank * heads * (mla.QkNopeHeadDim + mla.VHeadDim) // kv_b_proj
                + heads * mla.VHeadDim * h;                       // o_proj
            attentionOther = (mla.QLoraRank ?? 0) + mla.KvLoraRank; // q_a_layernorm, kv_a_layernorm
        }
        else
        {
            var q = (long)model.AttentionHeadCount * model.HeadDim;
            var kv = (long)model.KvHeadCount * model.HeadDim;
            attentionLinear = h * q + 2 * h * kv + q * h;
            attentionOther = (model.QkvBias ? q + 2 * kv : 0)
                + (model.OutputBias ? h : 0)
                + (model.QkNorm ? 2L * model.HeadDim : 0);
        }

        var denseMlpLinear = 3 * h * model.IntermediateSize;
        var denseMlpOther = model.MlpBias ? 2 * model.IntermediateSize + h : 0;
        var norms = model.NormsPerLayer * h;

        long perExpert = 0, routedExperts = 0, linear = 0, other = 0;
        long inactivePerToken = 0;
        for (var layer = 0; layer < model.LayerCount; layer++)
        {
            linear += attentionLinear;
            other += attentionOther + norms;
            if (model.Moe is { } moe && moe.MoeLayers[layer])
            {
                perExpert = 3 * h * moe.ExpertIntermediateSize;
                var routed = perExpert * moe.ExpertCount;
                routedExperts += routed;
                linear += routed + moe.SharedExpertCount * 3 * h * moe.SharedExpertIntermediateSize;
                other += h * moe.ExpertCount                 // router
                    + (moe.RouterBias ? moe.ExpertCount : 0)  // score-correction bias
                    + (moe.SharedExpertGate ? h : 0);
                inactivePerToken += perExpert * (moe.ExpertCount - moe.ExpertsPerToken);
            }
            else
            {
                linear += denseMlpLinear;
                other += denseMlpOther;
            }
        }
        other += h; // final norm

        var embedding = model.VocabSize * h;
        var head = model.TieWordEmbeddings ? 0 : embedding;
        var total = linear + other + embedding + head;
        return new ParameterCount
        {
            Total = total,
            ActivePerToken = total - inactivePerToken,
            Linear = linear,
            InputEmbedding = embedding,
            OutputHead = head,
            Other = other,
            PerRoutedExpert = perExpert,
            RoutedExperts = routedExperts,
        };
    }
}
