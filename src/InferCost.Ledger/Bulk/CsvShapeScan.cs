using System.Text;
using System.Text.Unicode;

namespace InferCost.Ledger.Bulk;

/// <summary>A CSV file whose records are one plain line each: the header line, how many records follow it, and
/// whether its lines end in CRLF (all of them) rather than LF.</summary>
internal sealed record CsvShape(string HeaderLine, long Records, bool CrLf);

/// <summary>
/// One quick pass over a CSV file that decides whether DuckDB's own reader may load it: valid UTF-8 (a BOM is
/// allowed), LF or CRLF line ends (one or the other throughout: DuckDB's reader takes one kind), no quote characters, no NUL, no blank lines, a header and at least one record.
/// Under those conditions each line is exactly one record, so the number of records DuckDB inserts can be checked
/// against the number counted here. Anything else (quoted fields, a lone CR, a binary file) returns null and the
/// file goes through the record-by-record reader, which also gives the located errors.
/// </summary>
internal static class CsvShapeScan
{
    private const int BufferSize = 1 << 20;

    /// <summary>The header line and line-end kind from the file's first megabyte, when its whole lines there have the
    /// plain shape; null otherwise. Enough to start loading while <see cref="Scan"/> checks the rest.</summary>
    public static CsvShape? Head(Stream content)
    {
        var buffer = new byte[BufferSize];
        var length = content.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        var data = buffer.AsSpan(0, length);
        if (data.StartsWith("\uFEFF"u8))
        {
            data = data[3..];
        }
        var lastNewLine = data.LastIndexOf((byte)'\n');
        var firstNewLine = data.IndexOf((byte)'\n');
        if (firstNewLine < 0 || (length == buffer.Length && lastNewLine < 0) || !PlainLines(length < buffer.Length ? data : data[..(lastNewLine + 1)]))
        {
            return null;
        }
        var crLf = firstNewLine > 0 && data[firstNewLine - 1] == (byte)'\r';
        return new CsvShape(Encoding.UTF8.GetString(data[..firstNewLine].TrimEnd((byte)'\r')), Records: -1, crLf);
    }

    public static CsvShape? Scan(Stream content)
    {
        var buffer = new byte[BufferSize];
        var length = 0;
        var atStart = true;
        string? header = null;
        long lines = 0, crLfs = 0;
        while (true)
        {
            var read = content.ReadAtLeast(buffer.AsSpan(length), buffer.Length - length, throwOnEndOfStream: false);
            length += read;
            var endOfInput = length < buffer.Length;
            var data = buffer.AsSpan(0, length);
            if (atStart && data.StartsWith("\uFEFF"u8))
            {
                data = data[3..];
            }
            var lastNewLine = data.LastIndexOf((byte)'\n');
            if (lastNewLine < 0 && !endOfInput)
            {
                return null; // a line longer than the buffer: not the shape of a trace file
            }
            // Whole lines only, so a UTF-8 sequence is never cut and a record never spans two passes.
            var whole = endOfInput ? data : data[..(lastNewLine + 1)];
            if (!PlainLines(whole))
            {
                return null;
            }
            if (header is null)
            {
                var end = whole.IndexOf((byte)'\n');
                var headerBytes = end < 0 ? whole : whole[..end];
                header = Encoding.UTF8.GetString(headerBytes.TrimEnd((byte)'\r'));
            }
            lines += whole.Count((byte)'\n');
            crLfs += whole.Count((byte)'\r');
            if (endOfInput)
            {
                if (whole.Length > 0 && whole[^1] != (byte)'\n')
                {
                    lines++; // a last line without a line end
                }
                var records = lines - 1;
                var lineEnds = whole.Length > 0 && whole[^1] != (byte)'\n' ? lines - 1 : lines;
                if (records <= 0 || (crLfs != 0 && crLfs != lineEnds))
                {
                    return null;
                }
                return new CsvShape(header, records, CrLf: crLfs != 0);
            }
            var rest = data[(lastNewLine + 1)..];
            rest.CopyTo(buffer);
            length = rest.Length;
            atStart = false;
        }
    }

    /// <summary>An underscore between two digits, as in 1_000 (DuckDB reads it as a digit separator; text such as
    /// rate_limited or req_42 passes).</summary>
    private static bool HasDigitUnderscore(ReadOnlySpan<byte> text)
    {
        for (var at = text.IndexOf((byte)'_'); at >= 0; at = NextUnderscore(text, at))
        {
            if (at > 0 && at + 1 < text.Length && char.IsAsciiDigit((char)text[at - 1]) && char.IsAsciiDigit((char)text[at + 1]))
            {
                return true;
            }
        }
        return false;
    }

    private static int NextUnderscore(ReadOnlySpan<byte> text, int at)
    {
        var next = text[(at + 1)..].IndexOf((byte)'_');
        return next < 0 ? -1 : at + 1 + next;
    }

    /// <summary>True when <paramref name="text"/> (whole lines, or the file's tail) is valid UTF-8 without quotes,
    /// NUL, lone CRs or blank lines.</summary>
    private static bool PlainLines(ReadOnlySpan<byte> text)
    {
        if (text.IndexOfAny((byte)'"', (byte)0) >= 0 || !Utf8.IsValid(text) || text.IndexOf("+-"u8) >= 0 || text.IndexOf("-+"u8) >= 0 ||
            text.IndexOf("--"u8) >= 0 || text.IndexOf("++"u8) >= 0 || HasDigitUnderscore(text))
        {
            return false; // also: number forms DuckDB's parser takes and the binders refuse (1_000, +-5)
        }
        if (text.Count((byte)'\r') != text.Count("\r\n"u8))
        {
            return false;
        }
        // A blank line: a line end right after another, or at the very start of these lines (each pass starts on a
        // fresh line, the first one on the header).
        return !text.StartsWith("\n"u8) && !text.StartsWith("\r\n"u8) && text.IndexOf("\n\n"u8) < 0 && text.IndexOf("\n\r\n"u8) < 0;
    }
}
