using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace InferCost.Cli;

/// <summary>Typed numeric flags that parse in the invariant culture and report a bad value as one sentence naming the
/// flag ("--target-p95-ms must be a number of milliseconds ≥ 0 (got 'abc')."), a usage error. System.CommandLine's own
/// conversion names a .NET type instead, and a validator that reads the value of an unparsable token throws — which
/// reached the user as "internal error", exit 3.</summary>
internal static class NumberOptions
{
    public static Option<double?> Number(string name, string description, string what, Func<double, bool> valid) =>
        new(name) { Description = description, CustomParser = r => ParseNumber(r, name, what, valid) };

    public static Option<double> Number(string name, string description, double defaultValue, string what, Func<double, bool> valid) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => ParseNumber(r, name, what, valid) ?? defaultValue,
        };

    public static Option<long?> Whole(string name, string description, long min, long max = long.MaxValue) =>
        new(name) { Description = description, CustomParser = r => ParseWhole(r, name, min, max) };

    public static Option<int> Whole(string name, string description, int defaultValue, int min, int max) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => (int?)ParseWhole(r, name, min, max) ?? defaultValue,
        };

    /// <summary>A money amount: decimal, so a price typed as 0.1 stays exactly 0.1.</summary>
    public static Option<decimal> Money(string name, string description, decimal defaultValue) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r =>
            {
                var text = Token(r);
                if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
                {
                    return value;
                }
                r.AddError($"{name} must be an amount in USD, zero or more, with a '.' decimal point (got '{text}').");
                return defaultValue;
            },
        };

    private static double? ParseNumber(ArgumentResult result, string name, string what, Func<double, bool> valid)
    {
        var text = Token(result);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && valid(value))
        {
            return value;
        }
        result.AddError($"{name} must be {what} (got '{text}').");
        return null;
    }

    private static long? ParseWhole(ArgumentResult result, string name, long min, long max)
    {
        var text = Token(result);
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        var range = max == long.MaxValue
            ? $"a whole number ≥ {min.ToString(CultureInfo.InvariantCulture)}"
            : $"a whole number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
        result.AddError($"{name} must be {range} (got '{text}').");
        return null;
    }

    private static string Token(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
}
