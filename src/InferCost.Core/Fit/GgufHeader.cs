namespace InferCost.Core.Fit;

/// <summary>The metadata of a GGUF file: version, tensor count, typed key/values and the tensor directory (names
/// and shapes). Never holds tensor data. Immutable.</summary>
/// <param name="Version">GGUF format version (2 or 3).</param>
/// <param name="TensorCount">Tensors the file declares.</param>
/// <param name="Metadata">Key/values: integers as long/ulong, floats as double, bool, string, or <see cref="GgufArray"/>.</param>
/// <param name="TensorNames">Names of the tensors in the directory, in file order.</param>
public sealed record GgufHeader(uint Version, ulong TensorCount, IReadOnlyDictionary<string, object> Metadata, IReadOnlyList<string> TensorNames);

/// <summary>A GGUF array value: its element type and length; numeric elements are kept for short arrays only
/// (long ones, such as the tokenizer vocabulary, are skipped, not loaded).</summary>
public sealed record GgufArray(GgufValueType ElementType, ulong Length, IReadOnlyList<object>? Values);

/// <summary>GGUF metadata value types, as numbered in the GGUF specification.</summary>
public enum GgufValueType : uint
{
    UInt8 = 0,
    Int8 = 1,
    UInt16 = 2,
    Int16 = 3,
    UInt32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    UInt64 = 10,
    Int64 = 11,
    Float64 = 12,
}
