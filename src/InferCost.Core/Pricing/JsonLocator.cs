using System.Text;
using System.Text.Json;

namespace InferCost.Core.Pricing;

/// <summary>Maps every value of a JSON document to its line and column, by path ("tokenPrices[3].inputUsdPerMTok"),
/// so a reader working on a <see cref="JsonDocument"/> can still say where a bad value is. Built in one pass over
/// the bytes; call only on text that parsed.</summary>
internal sealed class JsonLocator
{
    private readonly Dictionary<string, (long Line, int Column)> _locations = new(StringComparer.Ordinal);

    public JsonLocator(ReadOnlySpan<byte> utf8)
    {
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }
        var frames = new List<Frame>();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    frames[^1].Property = reader.GetString();
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    frames.RemoveAt(frames.Count - 1);
                    break;
                default:
                    if (frames.Count > 0 && frames[^1].IsArray)
                    {
                        frames[^1].Index++;
                    }
                    Record(Path(frames), (int)reader.TokenStartIndex, lineStarts, utf8);
                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                    }
                    break;
            }
        }
    }

    /// <summary>The 1-based line and column of the value at <paramref name="path"/>, or of its nearest located parent.</summary>
    public (long Line, int Column) Find(string path)
    {
        while (true)
        {
            if (_locations.TryGetValue(path, out var location))
            {
                return location;
            }
            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            if (cut <= 0)
            {
                return _locations.TryGetValue(string.Empty, out var root) ? root : (1, 1);
            }
            path = path[..cut];
        }
    }

    private void Record(string path, int offset, List<int> lineStarts, ReadOnlySpan<byte> utf8)
    {
        var line = lineStarts.BinarySearch(offset);
        line = line >= 0 ? line : ~line - 1;
        // Columns count characters, not bytes, so a non-ASCII provider name does not shift them.
        var column = Encoding.UTF8.GetCharCount(utf8[lineStarts[line]..offset]) + 1;
        _locations[path] = (line + 1, column);
    }

    private static string Path(List<Frame> frames)
    {
        var path = new StringBuilder();
        foreach (var frame in frames)
        {
            if (frame.IsArray)
            {
                path.Append('[').Append(frame.Index).Append(']');
            }
            else
            {
                if (path.Length > 0)
                {
                    path.Append('.');
                }
                path.Append(frame.Property);
            }
        }
        return path.ToString();
    }

    private sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;
        public int Index { get; set; } = -1;
        public string? Property { get; set; }
    }
}
