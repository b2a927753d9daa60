using InferCost.Core.Fit;

namespace InferCost.Core.Sizing;

/// <summary>Reads a model name as the traces spell it ("llama-3.1-70b-instruct-fp8", "qwen2.5-72b-instruct-awq") as a
/// model catalog entry plus the quantization its suffix names. Pure.</summary>
public static class TraceModelNames
{
    // Serving stacks name quantized checkpoints by suffix; the suffix is the weights' storage, the rest the model.
    private static readonly (string Suffix, WeightPrecision Weights)[] Suffixes =
    [
        ("fp8", WeightPrecision.Fp8), ("fp8-dynamic", WeightPrecision.Fp8), ("w8a8", WeightPrecision.Int8), ("int8", WeightPrecision.Int8),
        ("awq", WeightPrecision.Int4), ("gptq", WeightPrecision.Int4), ("int4", WeightPrecision.Int4), ("w4a16", WeightPrecision.Int4),
        ("bf16", WeightPrecision.Bf16), ("fp16", WeightPrecision.Fp16),
    ];

    /// <summary>The catalog entry for <paramref name="traceModel"/> (exact name or alias first, then with a
    /// quantization suffix removed) and the precision that suffix names (null when the name carries none).</summary>
    public static (ModelCatalogEntry? Entry, WeightPrecision? Weights) Resolve(string traceModel)
    {
        if (ModelCatalog.BuiltIn.Find(traceModel).Match is { } exact)
        {
            return (exact, SuffixWeights(traceModel));
        }
        var lower = traceModel.Trim().ToLowerInvariant();
        foreach (var (suffix, weights) in Suffixes.OrderByDescending(s => s.Suffix.Length))
        {
            foreach (var separator in new[] { "-", "_", "." })
            {
                if (lower.EndsWith(separator + suffix, StringComparison.Ordinal)
                    && ModelCatalog.BuiltIn.Find(traceModel[..^(suffix.Length + 1)]).Match is { } entry)
                {
                    return (entry, weights);
                }
            }
        }
        return (null, null);
    }

    private static WeightPrecision? SuffixWeights(string name)
    {
        var lower = name.Trim().ToLowerInvariant();
        foreach (var (suffix, weights) in Suffixes.OrderByDescending(s => s.Suffix.Length))
        {
            if (lower.EndsWith("-" + suffix, StringComparison.Ordinal) || lower.EndsWith("_" + suffix, StringComparison.Ordinal))
            {
                return weights;
            }
        }
        return null;
    }
}
