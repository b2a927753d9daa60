namespace InferCost.Core.Reading;

/// <summary>
/// Streams RFC 4180 records from text: quoted fields with embedded commas, quotes ("") and line breaks;
/// LF, CRLF or lone CR line ends. Tracks the 1-based physical line each field starts on.
/// Fields are exposed as spans into a reused buffer, valid until the next <see cref="Read"/>.
/// Not thread-safe.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader)
{
    private readonly char[] _buffer = new char[1 << 16];
    private int _position;
    private int _length;
    private bool _endOfInput;

    private char[] _record = new char[1024];
    private int _recordLength;
    private int[] _fieldStart = new int[64];
    private int[] _fieldLength = new int[64];
    private long[] _fieldLine = new long[64];

    /// <summary>The physical line the next character is on.</summary>
    private long _line = 1;

    public int FieldCount { get; private set; }

    /// <summary>The physical line the current record starts on.</summary>
    public long RecordLine { get; private set; }

    /// <summary>Set when the current record is malformed (e.g. an unterminated quote); the message says why.</summary>
    public string? Problem { get; private set; }

    /// <summary>Set when a NUL character was met: the input is binary, not text.</summary>
    public bool SawNul { get; private set; }

    public ReadOnlySpan<char> Field(int index) => _record.AsSpan(_fieldStart[index], _fieldLength[index]);

    public long FieldLine(int index) => _fieldLine[index];

    /// <summary>Reads the next non-blank record. Returns false at the end of the input.</summary>
    public bool Read()
    {
        while (true)
        {
            if (!ReadOne(out var blank))
            {
                return false;
            }
            if (!blank)
            {
                return true;
            }
        }
    }

    private bool ReadOne(out bool blank)
    {
        blank = false;
        FieldCount = 0;
        _recordLength = 0;
        Problem = null;
        if (!EnsureData())
        {
            return false;
        }
        RecordLine = _line;
        BeginField();
        var inQuotes = false;
        var afterClosingQuote = false;
        long quoteLine = 0;
        while (true)
        {
            if (_position >= _length && !EnsureData())
            {
                if (inQuotes)
                {
                    Problem = $"a quoted field opened on line {quoteLine} is never closed";
                }
                EndField();
                blank = FieldCount == 1 && _fieldLength[0] == 0 && !afterClosingQuote && Problem is null;
                return true;
            }
            var c = _buffer[_position++];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (Peek() == '"')
                    {
                        _position++;
                        Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                        afterClosingQuote = true;
                    }
                }
                else
                {
                    if (c == '\n' || (c == '\r' && Peek() != '\n'))
                    {
                        _line++;
                    }
                    Append(c);
                }
                continue;
            }
            switch (c)
            {
                case ',':
                    EndField();
                    BeginField();
                    afterClosingQuote = false;
                    break;
                case '\r':
                    if (Peek() == '\n')
                    {
                        _position++;
                    }
                    _line++;
                    EndField();
                    blank = FieldCount == 1 && _fieldLength[0] == 0 && !afterClosingQuote;
                    return true;
                case '\n':
                    _line++;
                    EndField();
                    blank = FieldCount == 1 && _fieldLength[0] == 0 && !afterClosingQuote;
                    return true;
                case '"' when _recordLength == _fieldStart[FieldCount] && !afterClosingQuote:
                    inQuotes = true;
                    quoteLine = _line;
                    break;
                default:
                    if (afterClosingQuote && Problem is null)
                    {
                        Problem = $"unexpected character '{c}' after a closing quote in column {FieldCount + 1}";
                    }
                    Append(c);
                    break;
            }
        }
    }

    /// <summary>The next character without consuming it, or '\0' at the end of the input.</summary>
    private char Peek()
    {
        if (_position >= _length && !EnsureData())
        {
            return '\0';
        }
        return _buffer[_position];
    }

    private bool EnsureData()
    {
        if (_position < _length)
        {
            return true;
        }
        if (_endOfInput)
        {
            return false;
        }
        _length = reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        if (_length == 0)
        {
            _endOfInput = true;
            return false;
        }
        if (!SawNul && _buffer.AsSpan(0, _length).Contains('\0'))
        {
            SawNul = true;
        }
        return true;
    }

    private void BeginField()
    {
        if (FieldCount == _fieldStart.Length)
        {
            Array.Resize(ref _fieldStart, FieldCount * 2);
            Array.Resize(ref _fieldLength, FieldCount * 2);
            Array.Resize(ref _fieldLine, FieldCount * 2);
        }
        _fieldStart[FieldCount] = _recordLength;
        _fieldLine[FieldCount] = _line;
    }

    private void EndField()
    {
        _fieldLength[FieldCount] = _recordLength - _fieldStart[FieldCount];
        FieldCount++;
    }

    private void Append(char c)
    {
        if (_recordLength == _record.Length)
        {
            Array.Resize(ref _record, _record.Length * 2);
        }
        _record[_recordLength++] = c;
    }
}
