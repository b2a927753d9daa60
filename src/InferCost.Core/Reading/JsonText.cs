namespace InferCost.Core.Reading;

/// <summary>Small helpers shared by the JSON readers: whole-stream reads, byte-offset to line mapping, and
/// System.Text.Json messages without their trailing position (the line is reported separately).</summary>
internal static class JsonText
{
    public static byte[] ReadAll(Stream content)
    {
        using var memory = new MemoryStream();
        content.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>The 1-based column of a syntax error (System.Text.Json counts bytes within the line).</summary>
    public static int? Column(System.Text.Json.JsonException ex) => ex.BytePositionInLine is { } position ? (int)position + 1 : null;

    public static string TrimMessage(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var core = cut > 0 ? message[..cut] : message;
        cut = core.IndexOf(" LineNumber:", StringComparison.Ordinal);
        core = cut > 0 ? core[..cut] : core;
        return core.TrimEnd('.', ' ', '|');
    }

    /// <summary>Maps byte offsets to 1-based line numbers.</summary>
    public sealed class LineIndex
    {
        private readonly List<long> _newlines = [];

        public LineIndex(ReadOnlySpan<byte> bytes)
        {
            var start = 0;
            while (true)
            {
                var next = bytes[start..].IndexOf((byte)'\n');
                if (next < 0)
                {
                    break;
                }
                _newlines.Add(start + next);
                start += next + 1;
            }
        }

        public long LineOf(long offset)
        {
            var index = _newlines.BinarySearch(offset);
            return (index >= 0 ? index : ~index) + 1;
        }
    }
}
