using System.CommandLine;
using System.Globalization;
using InferCost.Core.Simulation;

namespace InferCost.Cli;

/// <summary>Reads numeric, time and list flags in the invariant culture, collecting one sentence per bad value
/// (the command prints them all and exits 2).</summary>
internal sealed class FlagValues(ParseResult parse, List<string>? problems = null)
{
    public List<string> Problems { get; } = problems ?? [];

    public double? Number(Option<string?> option, string what, Func<double, bool> valid)
    {
        var text = parse.GetValue(option);
        if (text is null)
        {
            return null;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && valid(v))
        {
            return v;
        }
        Problems.Add($"{option.Name} must be {what} (got '{text}').");
        return null;
    }

    public long? Whole(Option<string?> option, string what, long min, long max = long.MaxValue)
    {
        var text = parse.GetValue(option);
        if (text is null)
        {
            return null;
        }
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max)
        {
            return v;
        }
        Problems.Add($"{option.Name} must be {what} (got '{text}').");
        return null;
    }

    public double? Seconds(Option<string?> option)
    {
        var text = parse.GetValue(option);
        if (text is null)
        {
            return null;
        }
        if (SimulationInputs.TryParseDurationSeconds(text, out var s))
        {
            return s;
        }
        Problems.Add($"{option.Name} must be a time such as 90s, 10m, 24h or 1500ms (got '{text}').");
        return null;
    }

    /// <summary>A comma-separated list of numbers, each valid.</summary>
    public IReadOnlyList<double>? NumberList(Option<string?> option, string what, Func<double, bool> valid)
    {
        var text = parse.GetValue(option);
        if (text is null)
        {
            return null;
        }
        var values = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && valid(v))
            {
                values.Add(v);
            }
            else
            {
                Problems.Add($"{option.Name} must be a comma-separated list of {what} (got '{text}').");
                return null;
            }
        }
        return values;
    }

    public ulong Seed(Option<string?> option, ulong fallback = 1)
    {
        var text = parse.GetValue(option);
        if (text is null)
        {
            return fallback;
        }
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
        {
            return seed;
        }
        Problems.Add($"{option.Name} must be a whole number ≥ 0 (got '{text}').");
        return fallback;
    }
}
