namespace InferCost.Core.Reading;

/// <summary>Splits a UTF-8 stream into lines without decoding it (LF or CRLF; a leading BOM is dropped).
/// The span is valid until the next <see cref="Read"/>. Not thread-safe.</summary>
internal sealed class Utf8LineReader(Stream stream)
{
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _first = true;

    /// <summary>1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    public bool Read(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = Take(newline, 1);
                return true;
            }
            if (_eof)
            {
                if (_start < _end)
                {
                    line = Take(_end - _start, 0);
                    return true;
                }
                line = default;
                return false;
            }
            Fill();
        }
    }

    private ReadOnlySpan<byte> Take(int length, int skip)
    {
        var line = _buffer.AsSpan(_start, length);
        _start += length + skip;
        LineNumber++;
        if (line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }
        if (_first)
        {
            _first = false;
            if (line.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                line = line[3..];
            }
        }
        return line;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }
        _end += read;
    }
}
