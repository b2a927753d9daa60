using System.Text;
using System.Text.Json;
using InferCost.Core.Contract;
using InferCost.Core.Diagnostics;

namespace InferCost.Core.Reading;

/// <summary>Contract rows from JSON (an array of rows, or an object with a <c>rows</c> array) and JSON Lines.
/// Values may be numbers or numeric strings (the seed's template rows use strings).</summary>
internal static class JsonTraceReader
{
    public static long ReadDocument(Stream content, DiagnosticBag diagnostics, Action<TraceRow, long> onRow)
    {
        var bytes = ReadAll(content);
        if (bytes.AsSpan().IndexOf((byte)0) >= 0)
        {
            TraceReader.ReportBinary(diagnostics);
            return 0;
        }
        TraceReader.StrictUtf8.GetCharCount(bytes); // throws DecoderFallbackException on binary input
        var lines = new JsonText.LineIndex(bytes);
        var span = bytes.AsSpan();
        var offset = span.StartsWith("\uFEFF"u8) ? 3 : 0;
        if (span[offset..].Trim(" \t\r\n"u8).IsEmpty)
        {
            diagnostics.Add(Diagnostic.Error(0, null, null, null, "is empty: expected a JSON array of rows or an object with a \"rows\" array"));
            return 0;
        }
        var reader = new Utf8JsonReader(span[offset..], new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var state = new RowParser(diagnostics, onRow);
        try
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject && !SeekRowsArray(ref reader, diagnostics, lines, offset))
            {
                return 0;
            }
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                diagnostics.Add(Diagnostic.Error(lines.LineOf(offset + reader.TokenStartIndex), null, null, null,
                    "expected a JSON array of rows or an object with a \"rows\" array"));
                return 0;
            }
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                state.ParseRow(ref reader, position => lines.LineOf(offset + position));
            }
        }
        catch (JsonException ex)
        {
            diagnostics.Add(Diagnostic.Error((ex.LineNumber ?? 0) + 1, JsonText.Column(ex), null, null, "is not valid JSON: " + TrimJsonMessage(ex.Message)));
        }
        if (state.Rows == 0 && !diagnostics.HasErrors)
        {
            diagnostics.Add(Diagnostic.Error(0, null, null, null, "has no rows"));
        }
        return state.Rows;
    }

    public static long ReadLines(Stream content, DiagnosticBag diagnostics, Action<TraceRow, long> onRow)
    {
        using var text = new StreamReader(content, TraceReader.StrictUtf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        var state = new RowParser(diagnostics, onRow);
        long lineNumber = 0;
        while (text.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Contains('\0'))
            {
                TraceReader.ReportBinary(diagnostics);
                return state.Rows;
            }
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var bytes = Encoding.UTF8.GetBytes(line);
            var reader = new Utf8JsonReader(bytes);
            var current = lineNumber;
            try
            {
                reader.Read();
                state.ParseRow(ref reader, _ => current);
                if (reader.Read())
                {
                    diagnostics.Add(Diagnostic.Error(current, null, null, null, "has more than one JSON value on the line"));
                }
            }
            catch (JsonException ex)
            {
                diagnostics.Add(Diagnostic.Error(current, JsonText.Column(ex), null, null, "is not valid JSON: " + TrimJsonMessage(ex.Message)));
            }
        }
        if (lineNumber == 0 || (state.Rows == 0 && !diagnostics.HasErrors))
        {
            diagnostics.Add(Diagnostic.Error(0, null, null, null, lineNumber == 0 ? "is empty: expected one JSON row per line" : "has no rows"));
        }
        return state.Rows;
    }

    /// <summary>Moves the reader onto the array under the top-level "rows" key.</summary>
    private static bool SeekRowsArray(ref Utf8JsonReader reader, DiagnosticBag diagnostics, JsonText.LineIndex lines, int offset)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("rows"u8))
            {
                reader.Read();
                return true;
            }
            reader.Read();
            reader.Skip();
        }
        diagnostics.Add(Diagnostic.Error(lines.LineOf(offset), null, null, null, "is a JSON object without a \"rows\" array"));
        return false;
    }

    private static string TrimJsonMessage(string message) => JsonText.TrimMessage(message);

    private static byte[] ReadAll(Stream content) => JsonText.ReadAll(content);

    /// <summary>Parses one JSON object into a raw row and binds it.</summary>
    private sealed class RowParser(DiagnosticBag diagnostics, Action<TraceRow, long> onRow)
    {
        private readonly TraceRowBinder _binder = new(reportMissingFieldsPerRow: true);
        private readonly JsonRawRow _row = new();
        private readonly HashSet<string> _warnedUnknown = new(StringComparer.Ordinal);

        public long Rows { get; private set; }

        public void ParseRow(ref Utf8JsonReader reader, Func<long, long> lineOf)
        {
            Rows++;
            var rowLine = lineOf(reader.TokenStartIndex);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                diagnostics.Add(Diagnostic.Error(rowLine, null, null, null, "is not a JSON object (each row must be an object of contract fields)"));
                reader.Skip();
                return;
            }
            _row.Reset(rowLine);
            var broken = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                var valueLine = lineOf(reader.TokenStartIndex);
                var field = TraceContract.IndexOf(name);
                if (field < 0)
                {
                    if (_warnedUnknown.Add(name))
                    {
                        diagnostics.Add(Diagnostic.Warning(valueLine, null, name, name, HeaderMap.UnknownColumnMessage(name)));
                    }
                    reader.Skip();
                    continue;
                }
                if (_row.Has(field))
                {
                    diagnostics.Add(Diagnostic.Error(valueLine, null, name, null, "appears twice in the row"));
                    broken = true;
                }
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        _row.Set(field, reader.GetString()!, valueLine);
                        break;
                    case JsonTokenType.Number:
                        _row.Set(field, Encoding.UTF8.GetString(reader.ValueSpan), valueLine);
                        break;
                    case JsonTokenType.True:
                        _row.Set(field, "true", valueLine);
                        break;
                    case JsonTokenType.False:
                        _row.Set(field, "false", valueLine);
                        break;
                    case JsonTokenType.Null:
                        _row.Set(field, string.Empty, valueLine);
                        break;
                    default:
                        diagnostics.Add(Diagnostic.Error(valueLine, null, name, null, "must be a number, string or boolean, not an object or array"));
                        reader.Skip();
                        broken = true;
                        break;
                }
            }
            var bound = _binder.Bind(_row, diagnostics);
            if (bound is not null && !broken)
            {
                onRow(bound, rowLine);
            }
        }
    }

    private sealed class JsonRawRow : IRawRow
    {
        private readonly string?[] _values = new string?[TraceContract.Fields.Count];
        private readonly long[] _lines = new long[TraceContract.Fields.Count];

        public long RowLine { get; private set; }

        public void Reset(long rowLine)
        {
            RowLine = rowLine;
            Array.Clear(_values);
        }

        public void Set(int field, string value, long line)
        {
            _values[field] = value;
            _lines[field] = line;
        }

        public bool Has(int field) => _values[field] is not null;
        public ReadOnlySpan<char> Value(int field) => _values[field];
        public long Line(int field) => _lines[field];
        public int? ColumnNumber(int field) => null;
    }
}
