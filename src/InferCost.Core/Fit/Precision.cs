namespace InferCost.Core.Fit;

/// <summary>Storage format of the model's linear-layer weights.</summary>
public enum WeightPrecision
{
    Bf16,
    Fp16,
    Fp8,
    Int8,
    Int4,
}

/// <summary>Storage format of the KV cache.</summary>
public enum KvPrecision
{
    Bf16,
    Fp16,
    Fp8,
}

/// <summary>Bits per stored element for each precision, and their names on the command line and in JSON.</summary>
public static class PrecisionFormat
{
    /// <summary>Bits per linear-layer weight. Quantization scales and zero points are not counted: for int4 with
    /// group size 128 they add about 3% to the quantized layers.</summary>
    public static int BitsPerWeight(WeightPrecision precision) => precision switch
    {
        WeightPrecision.Bf16 or WeightPrecision.Fp16 => 16,
        WeightPrecision.Fp8 or WeightPrecision.Int8 => 8,
        WeightPrecision.Int4 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, null),
    };

    /// <summary>Bytes per cached key or value element.</summary>
    public static int BytesPerKvElement(KvPrecision precision) => precision switch
    {
        KvPrecision.Bf16 or KvPrecision.Fp16 => 2,
        KvPrecision.Fp8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, null),
    };

    public static string Name(WeightPrecision precision) => precision.ToString().ToLowerInvariant();

    public static string Name(KvPrecision precision) => precision.ToString().ToLowerInvariant();

    public static bool TryParseWeights(string text, out WeightPrecision precision) =>
        Enum.TryParse(text, ignoreCase: true, out precision) && Enum.IsDefined(precision) && !int.TryParse(text, out _);

    public static bool TryParseKv(string text, out KvPrecision precision) =>
        Enum.TryParse(text, ignoreCase: true, out precision) && Enum.IsDefined(precision) && !int.TryParse(text, out _);
}
