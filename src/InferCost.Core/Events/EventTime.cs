using System.Globalization;

namespace InferCost.Core.Events;

/// <summary>Event timestamps: ISO 8601 or epoch milliseconds in, microsecond precision (the ledger's) everywhere.</summary>
public static class EventTime
{
    private static readonly long EpochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

    /// <summary>Milliseconds since the Unix epoch, from whole microseconds, computed the same way the ledger's SQL does
    /// (<c>epoch_us(startedAt) / 1000.0</c>) so interval sweeps in C# and in DuckDB agree bit for bit.</summary>
    public static double EpochMs(DateTimeOffset at) => ((at.UtcTicks - EpochTicks) / 10) / 1000.0;

    /// <summary>Drops sub-microsecond ticks, which DuckDB's TIMESTAMPTZ cannot hold.</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks - EpochTicks) % 10, TimeSpan.Zero);

    /// <exception cref="TimestampOutOfRangeException">The time is not finite or falls outside the years 1–9999 (an
    /// importer's epoch field holding 1e309, say): the importers report it as the record's error.</exception>
    public static DateTimeOffset FromEpochMs(double ms)
    {
        var ticks = ms * 10_000 + EpochTicks;
        if (!double.IsFinite(ticks) || ticks < DateTimeOffset.MinValue.UtcTicks || ticks >= DateTimeOffset.MaxValue.UtcTicks)
        {
            throw new TimestampOutOfRangeException(double.IsFinite(ms)
                ? FormattableString.Invariant($"the timestamp {ms:R} ms since 1970 is outside the years 1 to 9999")
                : "a timestamp is not a finite number (1e309 and beyond overflow)");
        }
        return ToMicroseconds(new DateTimeOffset(EpochTicks + (long)Math.Round(ms * 10_000), TimeSpan.Zero));
    }

    /// <summary>Parses ISO 8601 (fast path for <c>yyyy-MM-ddTHH:mm:ss[.f…][Z|±hh:mm]</c>) or a plain number of epoch
    /// milliseconds. Returns null on success, or the reason.</summary>
    public static string? Parse(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        text = text.Trim();
        if (TryIsoFast(text, out value))
        {
            value = ToMicroseconds(value);
            return null;
        }
        if (text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] == '-') && !text.Contains('T') && !text.Contains(':') &&
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
        {
            if (!double.IsFinite(ms) || ms < 0 || ms > 253_402_300_799_000d)
            {
                value = default;
                return "is not a valid epoch-milliseconds timestamp (must be between 0 and year 9999)";
            }
            value = FromEpochMs(ms);
            return null;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value))
        {
            value = ToMicroseconds(value.ToUniversalTime());
            return null;
        }
        return "is not an ISO 8601 timestamp or epoch milliseconds (e.g. 2026-05-16T01:15:55.120Z or 1778894155120)";
    }

    private static bool TryIsoFast(ReadOnlySpan<char> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
        {
            return false;
        }
        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day) ||
            !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second))
        {
            return false;
        }
        var i = 19;
        long fractionTicks = 0;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            var start = i;
            long scale = 1_000_000;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                if (scale > 0)
                {
                    fractionTicks += (s[i] - '0') * scale;
                    scale /= 10;
                }
                i++;
            }
            if (i == start)
            {
                return false;
            }
        }
        var offset = TimeSpan.Zero;
        if (i < s.Length)
        {
            if (s[i] == 'Z' && i == s.Length - 1)
            {
                // UTC
            }
            else if ((s[i] == '+' || s[i] == '-') && s.Length - i == 6 && s[i + 3] == ':' &&
                     Digits(s, i + 1, 2, out var oh) && Digits(s, i + 4, 2, out var om) && oh <= 14 && om < 60)
            {
                offset = new TimeSpan(oh, om, 0) * (s[i] == '-' ? -1 : 1);
            }
            else
            {
                return false;
            }
        }
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month) || hour > 23 || minute > 59 || second > 59 || year < 2 || year > 9998)
        {
            return false;
        }
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);
        var utc = local - offset;
        value = new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Unspecified), TimeSpan.Zero);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }
            value = value * 10 + (s[i] - '0');
        }
        return true;
    }

    /// <summary>ISO 8601 in UTC with the precision the value has (microseconds at most).</summary>
    public static string Format(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture);
}

/// <summary>A time outside what a timestamp can hold; a <see cref="FormatException"/>, so a reader that reports bad
/// values of its format reports this one too.</summary>
public sealed class TimestampOutOfRangeException(string message) : FormatException(message);
