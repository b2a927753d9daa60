using System.Text;

namespace InferCost.Core.Tests.Fit;

/// <summary>Writes GGUF headers with the format's own layout, for tests: little-endian magic "GGUF", uint32 version,
/// uint64 tensor count, uint64 metadata count, then typed key/values (uint64-length strings, uint32 type tags),
/// then tensor infos (name, uint32 n_dims, uint64 dims, uint32 ggml type, uint64 offset).</summary>
internal sealed class GgufWriter
{
    private readonly List<Action<BinaryWriter>> _metadata = [];
    private readonly List<(string Name, ulong[] Dims)> _tensors = [];

    public uint Version { get; init; } = 3;

    public GgufWriter UInt32(string key, uint value) => Add(key, 4, w => w.Write(value));

    public GgufWriter Float32(string key, float value) => Add(key, 6, w => w.Write(value));

    public GgufWriter Bool(string key, bool value) => Add(key, 7, w => w.Write((byte)(value ? 1 : 0)));

    public GgufWriter String(string key, string value) => Add(key, 8, w => WriteString(w, value));

    public GgufWriter UInt64(string key, ulong value) => Add(key, 10, w => w.Write(value));

    public GgufWriter StringArray(string key, params string[] values) => Add(key, 9, w =>
    {
        w.Write(8u);                  // element type: string
        w.Write((ulong)values.Length);
        foreach (var value in values)
        {
            WriteString(w, value);
        }
    });

    public GgufWriter Int32Array(string key, params int[] values) => Add(key, 9, w =>
    {
        w.Write(5u);                  // element type: int32
        w.Write((ulong)values.Length);
        foreach (var value in values)
        {
            w.Write(value);
        }
    });

    public GgufWriter Tensor(string name, params ulong[] dims)
    {
        _tensors.Add((name, dims));
        return this;
    }

    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Encoding.ASCII.GetBytes("GGUF"));
            w.Write(Version);
            w.Write((ulong)_tensors.Count);
            w.Write((ulong)_metadata.Count);
            foreach (var write in _metadata)
            {
                write(w);
            }
            ulong offset = 0;
            foreach (var (name, dims) in _tensors)
            {
                WriteString(w, name);
                w.Write((uint)dims.Length);
                foreach (var dim in dims)
                {
                    w.Write(dim);
                }
                w.Write(1u);          // GGML_TYPE_F16
                w.Write(offset);
                offset += dims.Aggregate(2ul, (a, d) => a * d);
            }
        }
        return buffer.ToArray();
    }

    private GgufWriter Add(string key, uint type, Action<BinaryWriter> value)
    {
        _metadata.Add(w =>
        {
            WriteString(w, key);
            w.Write(type);
            value(w);
        });
        return this;
    }

    private static void WriteString(BinaryWriter w, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }
}
