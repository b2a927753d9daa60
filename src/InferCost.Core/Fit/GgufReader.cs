using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace InferCost.Core.Fit;

/// <summary>Reads the header of a GGUF file (llama.cpp's model format): magic "GGUF", version, tensor count,
/// metadata key/values and the tensor directory. Stops before the tensor data, so a 40 GB file costs a few
/// megabytes of reading. Little-endian GGUF v2 and v3. Stateless and thread-safe.</summary>
public static class GgufReader
{
    /// <summary>"GGUF" read as a little-endian uint32.</summary>
    public const uint Magic = 0x46554747;

    private const int MaxStringBytes = 16 * 1024 * 1024;
    private const ulong MaxKeptArrayLength = 4096;
    private const uint MaxDimensions = 8;

    public static FitReadResult<GgufHeader> Read(Stream stream, string source)
    {
        var reader = new Cursor(stream);
        try
        {
            var magic = reader.UInt32("magic");
            if (magic != Magic)
            {
                return FitReadResult<GgufHeader>.Failed(FitDiagnostic.Error(source, null, null,
                    $"is not a GGUF file: it starts with bytes {Hex(magic)} instead of \"GGUF\""));
            }
            var version = reader.UInt32("version");
            if (version is not (2 or 3))
            {
                var hint = version > 0xFFFF ? " (a big-endian file, which is not supported)" : string.Empty;
                return FitReadResult<GgufHeader>.Failed(FitDiagnostic.Error(source, "version", version.ToString(CultureInfo.InvariantCulture),
                    $"is not a supported GGUF version (2 or 3){hint}"));
            }
            var tensorCount = reader.UInt64("tensor count");
            var kvCount = reader.UInt64("metadata count");
            var metadata = new Dictionary<string, object>(StringComparer.Ordinal);
            for (ulong i = 0; i < kvCount; i++)
            {
                var key = reader.String("metadata key");
                var type = (GgufValueType)reader.UInt32($"type of '{key}'");
                metadata[key] = ReadValue(reader, type, key);
            }
            var names = new List<string>();
            for (ulong i = 0; i < tensorCount; i++)
            {
                var name = reader.String("tensor name");
                var dimensions = reader.UInt32($"dimension count of tensor '{name}'");
                if (dimensions > MaxDimensions)
                {
                    throw new FormatException($"tensor '{name}' declares {dimensions} dimensions");
                }
                for (var d = 0; d < dimensions; d++)
                {
                    reader.UInt64($"shape of tensor '{name}'");
                }
                reader.UInt32($"type of tensor '{name}'");
                reader.UInt64($"offset of tensor '{name}'");
                names.Add(name);
            }
            return new FitReadResult<GgufHeader>(new GgufHeader(version, tensorCount, metadata, names), []);
        }
        catch (EndOfStreamException ex)
        {
            return FitReadResult<GgufHeader>.Failed(FitDiagnostic.Error(source, null, null,
                $"is truncated: the GGUF header ends while reading the {ex.Message}"));
        }
        catch (FormatException ex)
        {
            return FitReadResult<GgufHeader>.Failed(FitDiagnostic.Error(source, null, null, $"has a malformed GGUF header: {ex.Message}"));
        }
    }

    private static object ReadValue(Cursor reader, GgufValueType type, string key) => type switch
    {
        GgufValueType.UInt8 => (long)reader.Bytes(1, key)[0],
        GgufValueType.Int8 => (long)(sbyte)reader.Bytes(1, key)[0],
        GgufValueType.UInt16 => (long)BinaryPrimitives.ReadUInt16LittleEndian(reader.Bytes(2, key)),
        GgufValueType.Int16 => (long)BinaryPrimitives.ReadInt16LittleEndian(reader.Bytes(2, key)),
        GgufValueType.UInt32 => (long)reader.UInt32(key),
        GgufValueType.Int32 => (long)BinaryPrimitives.ReadInt32LittleEndian(reader.Bytes(4, key)),
        GgufValueType.Float32 => (double)BinaryPrimitives.ReadSingleLittleEndian(reader.Bytes(4, key)),
        GgufValueType.Bool => reader.Bytes(1, key)[0] != 0,
        GgufValueType.String => reader.String($"value of '{key}'"),
        GgufValueType.UInt64 => reader.UInt64(key),
        GgufValueType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(reader.Bytes(8, key)),
        GgufValueType.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(reader.Bytes(8, key)),
        GgufValueType.Array => ReadArray(reader, key),
        _ => throw new FormatException($"metadata key '{key}' has unknown value type {(uint)type}"),
    };

    private static GgufArray ReadArray(Cursor reader, string key)
    {
        var elementType = (GgufValueType)reader.UInt32($"element type of '{key}'");
        if (elementType == GgufValueType.Array)
        {
            throw new FormatException($"metadata key '{key}' is an array of arrays");
        }
        var length = reader.UInt64($"length of '{key}'");
        var keep = length <= MaxKeptArrayLength && elementType != GgufValueType.String;
        var values = keep ? new List<object>((int)length) : null;
        for (ulong i = 0; i < length; i++)
        {
            if (elementType == GgufValueType.String)
            {
                reader.SkipString(key);
                continue;
            }
            var value = ReadValue(reader, elementType, key);
            values?.Add(value);
        }
        return new GgufArray(elementType, length, values);
    }

    private static string Hex(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return Convert.ToHexString(bytes);
    }

    /// <summary>Sequential little-endian reads that turn a short read into <see cref="EndOfStreamException"/>
    /// naming what was being read.</summary>
    private sealed class Cursor(Stream stream)
    {
        private readonly byte[] _scratch = new byte[8];

        public byte[] Bytes(int count, string what)
        {
            var buffer = count <= 8 ? _scratch : new byte[count];
            var read = 0;
            while (read < count)
            {
                var n = stream.Read(buffer, read, count - read);
                if (n == 0)
                {
                    throw new EndOfStreamException(what);
                }
                read += n;
            }
            return buffer;
        }

        public uint UInt32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4, what));

        public ulong UInt64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8, what));

        public string String(string what)
        {
            var length = CheckedLength(what);
            return length == 0 ? string.Empty : Encoding.UTF8.GetString(Bytes(length, what), 0, length);
        }

        public void SkipString(string what)
        {
            var length = CheckedLength(what);
            if (stream.CanSeek)
            {
                if (stream.Position + length > stream.Length)
                {
                    throw new EndOfStreamException(what);
                }
                stream.Seek(length, SeekOrigin.Current);
            }
            else
            {
                Bytes(length, what);
            }
        }

        private int CheckedLength(string what)
        {
            var length = UInt64($"length of {what}");
            if (length > MaxStringBytes)
            {
                throw new FormatException($"the {what} claims {length} bytes");
            }
            return (int)length;
        }
    }
}
