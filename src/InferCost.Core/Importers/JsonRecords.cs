using System.Globalization;
using System.Text.Json;
using InferCost.Core.Diagnostics;
using InferCost.Core.Reading;

namespace InferCost.Core.Importers;

/// <summary>JSON plumbing shared by the importers: whole documents or JSON Lines with line numbers, and tolerant
/// accessors (a number may arrive as a string; a missing or null property is null).</summary>
internal static class JsonRecords
{
    /// <summary>Parses the content as one JSON document; reports a parse error with its line and returns null.</summary>
    public static JsonDocument? Document(Stream content, ImportContext context)
    {
        var bytes = JsonText.ReadAll(content);
        try
        {
            return JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            context.ErrorAt((ex.LineNumber ?? 0) + 1, JsonText.Column(ex), "is not valid JSON: " + JsonText.TrimMessage(ex.Message));
            return null;
        }
    }

    /// <summary>Each non-blank line as one JSON value; a malformed (e.g. truncated) line is reported with its number.</summary>
    public static long Lines(Stream content, ImportContext context, Action<JsonElement, long> onRecord)
    {
        var reader = new Utf8LineReader(content);
        long records = 0;
        while (reader.Read(out var line))
        {
            if (line.Trim(" \t"u8).IsEmpty)
            {
                continue;
            }
            records++;
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line.ToArray());
            }
            catch (JsonException ex)
            {
                context.ErrorAt(reader.LineNumber, JsonText.Column(ex), "is not valid JSON (truncated or malformed): " + JsonText.TrimMessage(ex.Message));
                continue;
            }
            using (document)
            {
                try
                {
                    onRecord(document.RootElement, reader.LineNumber);
                }
                catch (Events.TimestampOutOfRangeException ex)
                {
                    context.ErrorAt(reader.LineNumber, null, ex.Message);
                }
            }
        }
        if (records == 0)
        {
            context.Error(0, null, null, "has no records");
        }
        return records;
    }

    /// <summary>JSON Lines when the first line is a whole JSON value and more lines follow; else one document whose
    /// array elements (or the array under one of <paramref name="arrayKeys"/>, or the object itself) are the records.</summary>
    public static long Records(Stream content, ImportContext context, Action<JsonElement, long> onRecord, params string[] arrayKeys)
    {
        var bytes = JsonText.ReadAll(content);
        if (LooksLikeJsonLines(bytes))
        {
            return Lines(new MemoryStream(bytes), context, onRecord);
        }
        using var document = Document(new MemoryStream(bytes), context);
        if (document is null)
        {
            return 0;
        }
        var root = document.RootElement;
        var array = root;
        if (root.ValueKind == JsonValueKind.Object)
        {
            array = arrayKeys.Select(k => Get(root, k)).FirstOrDefault(e => e?.ValueKind == JsonValueKind.Array) ?? root;
        }
        if (array.ValueKind != JsonValueKind.Array)
        {
            onRecord(array, 1);
            return 1;
        }
        long count = 0;
        // Element line numbers are not exposed by JsonDocument; count elements, and name the record by its index.
        foreach (var element in array.EnumerateArray())
        {
            count++;
            try
            {
                onRecord(element, count);
            }
            catch (Events.TimestampOutOfRangeException ex)
            {
                context.ErrorAt(count, null, ex.Message);
            }
        }
        return count;
    }

    private static bool LooksLikeJsonLines(byte[] bytes)
    {
        var span = bytes.AsSpan();
        if (span.StartsWith("\uFEFF"u8))
        {
            span = span[3..];
        }
        var newline = span.IndexOf((byte)'\n');
        if (newline < 0 || span[(newline + 1)..].Trim(" \t\r\n"u8).IsEmpty)
        {
            return false;
        }
        var reader = new Utf8JsonReader(span[..newline]);
        try
        {
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject && TrySkip(ref reader);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TrySkip(ref Utf8JsonReader reader) => reader.TrySkip() && reader.BytesConsumed > 0 && reader.CurrentDepth == 0;

    public static JsonElement? Get(JsonElement element, params string[] path)
    {
        var current = element;
        foreach (var key in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(key, out var next) || next.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            current = next;
        }
        return current;
    }

    public static string? Str(JsonElement element, params string[] path) => Get(element, path) is { } e
        ? e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText()
        : null;

    public static double? Num(JsonElement element, params string[] path)
    {
        if (Get(element, path) is not { } e)
        {
            return null;
        }
        if (e.ValueKind == JsonValueKind.Number)
        {
            return e.GetDouble();
        }
        return e.ValueKind == JsonValueKind.String && double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    public static long? Long(JsonElement element, params string[] path) => Num(element, path) is { } v ? (long)Math.Round(v) : null;

    public static bool? Bool(JsonElement element, params string[] path) => Get(element, path) is { } e
        ? e.ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => null }
        : null;

    /// <summary>A timestamp as ISO 8601 text, or a number of seconds/milliseconds/nanoseconds since the epoch (by magnitude).</summary>
    public static DateTimeOffset? Time(JsonElement element, params string[] path)
    {
        if (Get(element, path) is not { } e)
        {
            return null;
        }
        if (e.ValueKind == JsonValueKind.Number)
        {
            return FromEpoch(e.GetDouble());
        }
        var text = e.GetString();
        if (text is null)
        {
            return null;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return FromEpoch(number);
        }
        return Events.EventTime.Parse(text, out var at) is null ? at : null;
    }

    /// <summary>Seconds (&lt; 1e11), milliseconds (&lt; 1e14), microseconds (&lt; 1e17) or nanoseconds since the epoch.</summary>
    public static DateTimeOffset FromEpoch(double value) => value switch
    {
        < 1e11 => Events.EventTime.FromEpochMs(value * 1000),
        < 1e14 => Events.EventTime.FromEpochMs(value),
        < 1e17 => Events.EventTime.FromEpochMs(value / 1000),
        _ => Events.EventTime.FromEpochMs(value / 1_000_000),
    };
}
