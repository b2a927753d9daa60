namespace InferCost.Bench.Client;

/// <summary>Receives the data of each server-sent event.</summary>
internal interface ISseSink
{
    void OnData(ReadOnlySpan<byte> data);
}

/// <summary>An incremental parser of <c>text/event-stream</c> (the WHATWG rules the OpenAI streams follow): lines end
/// in LF, CRLF or CR-LF split across reads; <c>data:</c> lines of one event are joined with LF; a blank line ends the
/// event; comments (<c>:</c>) and <c>event</c>/<c>id</c>/<c>retry</c> fields are skipped. Lines that are no SSE field
/// at all are counted in <see cref="ForeignLines"/>, so a proxy's HTML error page is told apart from a stream.
/// An event left unfinished at the end of the stream is dropped, as the standard says. A line or an event longer
/// than the limit it is made with stops the parser (<see cref="Overflowed"/>) rather than grow without bound.
/// Not thread-safe.</summary>
internal sealed class SseParser(int maxBytes = int.MaxValue / 2)
{
    private byte[] _pending = new byte[256];
    private int _pendingLength;
    private byte[] _data = new byte[1024];
    private int _dataLength;
    private bool _hasData;

    /// <summary>Lines that were neither a field this parser knows, a comment nor blank.</summary>
    public int ForeignLines { get; private set; }

    /// <summary>True when bytes of an unfinished event or line are held (the stream ended mid-event).</summary>
    public bool HasUnfinishedEvent => _hasData || _pendingLength > 0;

    /// <summary>A line or event outgrew the limit; everything fed since is ignored.</summary>
    public bool Overflowed { get; private set; }

    public void Feed(ReadOnlySpan<byte> bytes, ISseSink sink)
    {
        while (!bytes.IsEmpty && !Overflowed)
        {
            var newline = bytes.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Append(ref _pending, ref _pendingLength, bytes);
                return;
            }
            if (_pendingLength > 0)
            {
                Append(ref _pending, ref _pendingLength, bytes[..newline]);
                ProcessLine(_pending.AsSpan(0, _pendingLength), sink);
                _pendingLength = 0;
            }
            else
            {
                ProcessLine(bytes[..newline], sink);
            }
            bytes = bytes[(newline + 1)..];
        }
    }

    private void ProcessLine(ReadOnlySpan<byte> line, ISseSink sink)
    {
        if (Overflowed)
        {
            return;
        }
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }
        if (line.IsEmpty)
        {
            if (_hasData)
            {
                sink.OnData(_data.AsSpan(0, _dataLength));
                _dataLength = 0;
                _hasData = false;
            }
            return;
        }
        if (line[0] == (byte)':')
        {
            return;
        }
        var colon = line.IndexOf((byte)':');
        var field = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? [] : line[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
        }
        if (field.SequenceEqual("data"u8))
        {
            if (_hasData)
            {
                Append(ref _data, ref _dataLength, "\n"u8);
            }
            Append(ref _data, ref _dataLength, value);
            _hasData = true;
        }
        else if (!(field.SequenceEqual("event"u8) || field.SequenceEqual("id"u8) || field.SequenceEqual("retry"u8)))
        {
            ForeignLines++;
        }
    }

    private void Append(ref byte[] buffer, ref int length, ReadOnlySpan<byte> bytes)
    {
        if (length + (long)bytes.Length > maxBytes)
        {
            Overflowed = true;
            return;
        }
        if (length + bytes.Length > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + bytes.Length));
        }
        bytes.CopyTo(buffer.AsSpan(length));
        length += bytes.Length;
    }
}
