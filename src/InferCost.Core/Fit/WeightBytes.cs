namespace InferCost.Core.Fit;

/// <summary>Bytes of model weights at a given precision. Quantization applies to linear layers only; embeddings,
/// the output head, norms, biases and routers stay at 16 bits, as serving stacks (vLLM fp8, AWQ, GPTQ) keep them.</summary>
public static class WeightBytes
{
    /// <summary>Total weight bytes of the model.</summary>
    public static long Total(ParameterCount count, WeightPrecision precision) =>
        Linear(count.Linear, precision) + 2 * (count.Other + count.InputEmbedding + count.OutputHead);

    /// <summary>Bytes of <paramref name="parameters"/> linear-layer weights, rounded up to a whole byte.</summary>
    public static long Linear(long parameters, WeightPrecision precision) =>
        (parameters * PrecisionFormat.BitsPerWeight(precision) + 7) / 8;
}
