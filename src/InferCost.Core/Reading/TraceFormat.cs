namespace InferCost.Core.Reading;

public enum TraceFormat
{
    Csv,
    Json,
    Jsonl,
}

public static class TraceFormats
{
    public static string Name(TraceFormat format) => format switch
    {
        TraceFormat.Csv => "csv",
        TraceFormat.Json => "json",
        _ => "jsonl",
    };

    /// <summary>Picks the format from the file name's extension, else from the first non-blank byte
    /// ('[' → JSON, '{' → JSON Lines, anything else → CSV).</summary>
    public static TraceFormat Detect(string fileName, ReadOnlySpan<byte> head)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        switch (extension)
        {
            case ".csv":
                return TraceFormat.Csv;
            case ".json":
                return TraceFormat.Json;
            case ".jsonl" or ".ndjson":
                return TraceFormat.Jsonl;
        }
        var text = head;
        if (text.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            text = text[3..];
        }
        foreach (var b in text)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                continue;
            }
            return b switch
            {
                (byte)'[' => TraceFormat.Json,
                (byte)'{' => TraceFormat.Jsonl,
                _ => TraceFormat.Csv,
            };
        }
        return TraceFormat.Csv;
    }

    public static bool TryParse(string name, out TraceFormat format)
    {
        switch (name.ToLowerInvariant())
        {
            case "csv":
                format = TraceFormat.Csv;
                return true;
            case "json":
                format = TraceFormat.Json;
                return true;
            case "jsonl" or "ndjson":
                format = TraceFormat.Jsonl;
                return true;
            default:
                format = TraceFormat.Csv;
                return false;
        }
    }
}
