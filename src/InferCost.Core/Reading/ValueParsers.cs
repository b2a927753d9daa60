using System.Globalization;

namespace InferCost.Core.Reading;

/// <summary>Invariant-culture parsers for contract values. Each returns null on success or the reason it failed.</summary>
internal static class ValueParsers
{
    private const NumberStyles Number =
        NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign |
        NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    public static string? ParseNumber(ReadOnlySpan<char> text, out double value)
    {
        if (!double.TryParse(text, Number, CultureInfo.InvariantCulture, out value))
        {
            return text.Contains(',')
                ? "is not a number: use the invariant culture, with no thousands separators or decimal commas (e.g. 2800 or 2.5)"
                : "is not a number";
        }
        if (!double.IsFinite(value))
        {
            return "is not a finite number (NaN and Infinity are not allowed)";
        }
        return null;
    }

    public static string? ParseNonNegative(ReadOnlySpan<char> text, out double value)
    {
        var problem = ParseNumber(text, out value);
        if (problem is null && value < 0)
        {
            return "must be zero or more";
        }
        if (value == 0)
        {
            value = 0; // -0 prints as "-0"; normalise it
        }
        return problem;
    }

    public static string? ParseRate(ReadOnlySpan<char> text, out double value)
    {
        var problem = ParseNumber(text, out value);
        if (problem is null && (value < 0 || value > 1))
        {
            return "is a rate and must lie between 0 and 1";
        }
        if (value == 0)
        {
            value = 0;
        }
        return problem;
    }

    public static string? ParseInteger(ReadOnlySpan<char> text, long minimum, out long value)
    {
        value = 0;
        var problem = ParseNumber(text, out var number);
        if (problem is not null)
        {
            return problem;
        }
        if (number != Math.Floor(number) || number > long.MaxValue)
        {
            return "must be a whole number";
        }
        if (number < minimum)
        {
            return $"must be at least {minimum.ToString(CultureInfo.InvariantCulture)}";
        }
        value = (long)number;
        return null;
    }

    public static string? ParseBoolean(ReadOnlySpan<char> text, out bool value)
    {
        var t = text.Trim();
        if (t.Equals("true", StringComparison.OrdinalIgnoreCase) || t.Equals("yes", StringComparison.OrdinalIgnoreCase) || t is "1")
        {
            value = true;
            return null;
        }
        if (t.Equals("false", StringComparison.OrdinalIgnoreCase) || t.Equals("no", StringComparison.OrdinalIgnoreCase) || t is "0")
        {
            value = false;
            return null;
        }
        value = false;
        return "is not a boolean (use true/false, 1/0 or yes/no)";
    }

    public static string? ParseTimestamp(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out value))
        {
            return null;
        }
        return "is not an ISO 8601 timestamp (e.g. 2026-05-16T01:15:55Z)";
    }

    private const decimal MaxMoney = 1_000_000_000m;

    public static string? ParseMoney(ReadOnlySpan<char> text, out decimal value)
    {
        value = 0;
        var problem = ParseNonNegative(text, out _);
        if (problem is not null)
        {
            return problem;
        }
        // Money is summed as decimal, parsed from the text itself so no binary rounding creeps in.
        // The ledger stores DECIMAL(18,9): nine places after the point, under a billion dollars per output.
        if (!decimal.TryParse(text, Number, CultureInfo.InvariantCulture, out value) || value >= MaxMoney)
        {
            return "is too large for an amount of money (at most 999999999.999999999)";
        }
        value = Math.Round(value, 9, MidpointRounding.ToEven);
        return null;
    }
}
