using System.Text;
using System.Text.Json;
using InferCost.Core.Diagnostics;
using InferCost.Core.Reading;

namespace InferCost.Core.Events;

/// <summary>Request events from JSON Lines (one object per line) or a JSON document (an array of objects, or an
/// object with an <c>events</c> array). Values may be numbers, numeric strings, booleans or null (= empty).</summary>
internal static class JsonEventReader
{
    private static readonly UTF8Encoding Strict = TraceReader.StrictUtf8;

    public static long ReadLines(Stream content, DiagnosticBag diagnostics, Action<RequestEvent, long> onEvent)
    {
        var lines = new Utf8LineReader(content);
        var parser = new ObjectParser(diagnostics, onEvent);
        var any = false;
        while (lines.Read(out var line))
        {
            if (line.IndexOf((byte)0) >= 0)
            {
                TraceReader.ReportBinary(diagnostics);
                return parser.Rows;
            }
            if (line.Trim(" \t"u8).IsEmpty)
            {
                continue;
            }
            any = true;
            var number = lines.LineNumber;
            Strict.GetCharCount(line); // throws DecoderFallbackException on binary input
            var reader = new Utf8JsonReader(line);
            try
            {
                reader.Read();
                parser.Parse(ref reader, _ => number);
                if (reader.Read())
                {
                    diagnostics.Add(Diagnostic.Error(number, null, null, null, "has more than one JSON value on the line"));
                }
            }
            catch (JsonException ex)
            {
                diagnostics.Add(Diagnostic.Error(number, JsonText.Column(ex), null, null, "is not valid JSON (truncated or malformed): " + JsonText.TrimMessage(ex.Message)));
            }
        }
        if (!any || (parser.Rows == 0 && !diagnostics.HasErrors))
        {
            diagnostics.Add(Diagnostic.Error(0, null, null, null, any ? "has no events" : "is empty: expected one JSON event per line"));
        }
        return parser.Rows;
    }

    public static long ReadDocument(Stream content, DiagnosticBag diagnostics, Action<RequestEvent, long> onEvent)
    {
        var bytes = JsonText.ReadAll(content);
        if (bytes.AsSpan().IndexOf((byte)0) >= 0)
        {
            TraceReader.ReportBinary(diagnostics);
            return 0;
        }
        Strict.GetCharCount(bytes);
        var offset = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var span = bytes.AsSpan(offset);
        if (span.Trim(" \t\r\n"u8).IsEmpty)
        {
            diagnostics.Add(Diagnostic.Error(0, null, null, null, "is empty: expected a JSON array of events or an object with an \"events\" array"));
            return 0;
        }
        var lines = new JsonText.LineIndex(span);
        var parser = new ObjectParser(diagnostics, onEvent);
        var reader = new Utf8JsonReader(span, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                var found = false;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("events"u8))
                    {
                        reader.Read();
                        found = true;
                        break;
                    }
                    reader.Read();
                    reader.Skip();
                }
                if (!found)
                {
                    diagnostics.Add(Diagnostic.Error(1, null, null, null, "is a JSON object without an \"events\" array"));
                    return 0;
                }
            }
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                diagnostics.Add(Diagnostic.Error(lines.LineOf(reader.TokenStartIndex), null, null, null, "expected a JSON array of events or an object with an \"events\" array"));
                return 0;
            }
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                parser.Parse(ref reader, lines.LineOf);
            }
        }
        catch (JsonException ex)
        {
            diagnostics.Add(Diagnostic.Error((ex.LineNumber ?? 0) + 1, JsonText.Column(ex), null, null, "is not valid JSON: " + JsonText.TrimMessage(ex.Message)));
        }
        if (parser.Rows == 0 && !diagnostics.HasErrors)
        {
            diagnostics.Add(Diagnostic.Error(0, null, null, null, "has no events"));
        }
        return parser.Rows;
    }

    /// <summary>Parses one JSON object into a raw row and binds it.</summary>
    private sealed class ObjectParser(DiagnosticBag diagnostics, Action<RequestEvent, long> onEvent)
    {
        private readonly EventRowBinder _binder = new(reportMissingFieldsPerRow: true);
        private readonly JsonRawRow _row = new();
        private readonly HashSet<string> _warnedUnknown = new(StringComparer.Ordinal);
        private char[] _name = new char[64];

        public long Rows { get; private set; }

        public void Parse(ref Utf8JsonReader reader, Func<long, long> lineOf)
        {
            Rows++;
            var rowLine = lineOf(reader.TokenStartIndex);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                diagnostics.Add(Diagnostic.Error(rowLine, null, null, null, "is not a JSON object (each event must be an object of event fields)"));
                reader.Skip();
                return;
            }
            _row.Reset(rowLine);
            var broken = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = FieldOf(ref reader, lineOf(reader.TokenStartIndex));
                reader.Read();
                var valueLine = lineOf(reader.TokenStartIndex);
                if (field < 0)
                {
                    reader.Skip();
                    continue;
                }
                if (_row.Has(field))
                {
                    diagnostics.Add(Diagnostic.Error(valueLine, null, EventFields.All[field].Name, null, "appears twice in the event"));
                    broken = true;
                }
                if (!_row.Set(field, ref reader, valueLine))
                {
                    diagnostics.Add(Diagnostic.Error(valueLine, null, EventFields.All[field].Name, null, "must be a number, string, boolean or null, not an object or array"));
                    reader.Skip();
                    broken = true;
                }
            }
            var bound = _binder.Bind(_row, diagnostics);
            if (bound is not null && !broken)
            {
                onEvent(bound, rowLine);
            }
        }

        private int FieldOf(ref Utf8JsonReader reader, long line)
        {
            var length = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
            if (_name.Length < length)
            {
                _name = new char[length * 2];
            }
            var written = reader.CopyString(_name);
            var name = _name.AsSpan(0, written);
            var field = EventFields.IndexOf(name);
            if (field < 0)
            {
                var text = name.ToString();
                if (_warnedUnknown.Add(text))
                {
                    diagnostics.Add(Diagnostic.Warning(line, null, text, text, EventFields.UnknownColumnMessage(text)));
                }
            }
            return field;
        }
    }

    /// <summary>One JSON object's values as text, in one reused character buffer.</summary>
    private sealed class JsonRawRow : IRawRow
    {
        private readonly int[] _start = new int[EventFields.Count];
        private readonly int[] _length = new int[EventFields.Count];
        private readonly long[] _lines = new long[EventFields.Count];
        private readonly bool[] _has = new bool[EventFields.Count];
        private char[] _chars = new char[1024];
        private int _used;

        public long RowLine { get; private set; }

        public void Reset(long rowLine)
        {
            RowLine = rowLine;
            Array.Clear(_has);
            _used = 0;
        }

        public bool Set(int field, ref Utf8JsonReader reader, long line)
        {
            _has[field] = true;
            _lines[field] = line;
            _start[field] = _used;
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    var max = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
                    Ensure(max);
                    _used += reader.CopyString(_chars.AsSpan(_used));
                    break;
                case JsonTokenType.Number:
                    Ensure(reader.ValueSpan.Length);
                    _used += Encoding.ASCII.GetChars(reader.ValueSpan, _chars.AsSpan(_used));
                    break;
                case JsonTokenType.True:
                    Append("true");
                    break;
                case JsonTokenType.False:
                    Append("false");
                    break;
                case JsonTokenType.Null:
                    break;
                default:
                    return false;
            }
            _length[field] = _used - _start[field];
            return true;
        }

        private void Append(string text)
        {
            Ensure(text.Length);
            text.CopyTo(_chars.AsSpan(_used));
            _used += text.Length;
        }

        private void Ensure(int more)
        {
            if (_used + more > _chars.Length)
            {
                Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _used + more));
            }
        }

        public bool Has(int field) => _has[field];
        public ReadOnlySpan<char> Value(int field) => _chars.AsSpan(_start[field], _length[field]);
        public long Line(int field) => _lines[field];
        public int? ColumnNumber(int field) => null;
    }
}
