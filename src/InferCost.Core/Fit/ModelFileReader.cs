using System.Buffers.Binary;

namespace InferCost.Core.Fit;

/// <summary>Reads a model description file: a GGUF file (recognised by its magic bytes) or a Hugging Face
/// config.json. Stateless and thread-safe.</summary>
public static class ModelFileReader
{
    /// <param name="stream">The file's bytes. A non-seekable stream is buffered in memory first.</param>
    /// <param name="source">The path as the user gave it.</param>
    /// <param name="expectGguf">True when the name says GGUF (.gguf): anything else is then reported as not GGUF
    /// rather than parsed as JSON.</param>
    public static FitReadResult<ModelArchitecture> Read(Stream stream, string source, bool expectGguf)
    {
        if (!stream.CanSeek)
        {
            var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            buffer.Position = 0;
            stream = buffer;
        }
        var start = stream.Position;
        Span<byte> head = stackalloc byte[4];
        var read = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        stream.Position = start;
        var name = DisplayName(source);

        if (read == 4 && BinaryPrimitives.ReadUInt32LittleEndian(head) == GgufReader.Magic)
        {
            var header = GgufReader.Read(stream, source);
            if (header.Value is null)
            {
                return new FitReadResult<ModelArchitecture>(null, header.Diagnostics);
            }
            return GgufArchitectureMapper.Map(header.Value, source, name);
        }
        if (read == 0)
        {
            return FitReadResult<ModelArchitecture>.Failed(FitDiagnostic.Error(source, null, null, "is empty"));
        }
        if (expectGguf)
        {
            // Let the GGUF reader word the error (wrong magic or too short to hold one).
            var header = GgufReader.Read(stream, source);
            return new FitReadResult<ModelArchitecture>(null, header.Diagnostics);
        }
        return HuggingFaceConfigReader.Read(stream, source, DisplayName(source));
    }

    /// <summary>The file name without extension; for a file called config.json, its folder's name (the model's).</summary>
    private static string DisplayName(string source)
    {
        var name = Path.GetFileNameWithoutExtension(source);
        var folder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(source)));
        return name == "config" && !string.IsNullOrEmpty(folder) ? folder : name;
    }
}
