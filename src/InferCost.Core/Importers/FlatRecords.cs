using System.Text.Json;
using InferCost.Core.Diagnostics;
using InferCost.Core.Reading;

namespace InferCost.Core.Importers;

/// <summary>For formats exported both as CSV and as JSON (LiteLLM, Langfuse, Helicone): each record as a lookup from
/// field name to text, so one mapping serves both. JSON values that are objects are kept as their raw JSON.</summary>
internal static class FlatRecords
{
    public static long Read(Stream content, ImportContext context, Action<Func<string, string?>, JsonElement?, long> onRecord, params string[] arrayKeys)
    {
        var bytes = JsonText.ReadAll(content);
        var first = bytes.AsSpan().TrimStart("\uFEFF \t\r\n"u8);
        if (first.Length > 0 && first[0] is (byte)'[' or (byte)'{')
        {
            return JsonRecords.Records(new MemoryStream(bytes), context, (element, line) =>
                onRecord(name => JsonRecords.Str(element, name), element, line), arrayKeys);
        }
        using var text = new StreamReader(new MemoryStream(bytes), TraceReader.StrictUtf8, detectEncodingFromByteOrderMarks: true);
        var csv = new CsvRecordReader(text);
        if (!csv.Read())
        {
            context.Error(0, null, null, "is empty");
            return 0;
        }
        var header = Enumerable.Range(0, csv.FieldCount).Select(i => csv.Field(i).Trim().ToString()).ToArray();
        long rows = 0;
        while (csv.Read())
        {
            rows++;
            if (csv.Problem is not null || csv.FieldCount != header.Length)
            {
                context.Diagnostics.Add(Diagnostic.Error(csv.RecordLine, null, null, null, csv.Problem ?? $"row has {csv.FieldCount} fields but the header has {header.Length}"));
                continue;
            }
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                values[header[i]] = csv.Field(i).ToString();
            }
            onRecord(name => values.TryGetValue(name, out var v) && v.Length > 0 ? v : null, null, csv.RecordLine);
        }
        return rows;
    }
}
