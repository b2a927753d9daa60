using System.Globalization;
using InferCost.Core.Diagnostics;

namespace InferCost.Core.Simulation;

/// <summary>What a reader produced: the value when the input is valid, and every problem found (readers never stop
/// at the first one).</summary>
public sealed record InputReadResult<T>(T? Value, IReadOnlyList<Diagnostic> Problems) where T : class
{
    public bool IsValid => Value is not null && Problems.Count == 0;
}

/// <summary>Readers for the small text inputs of <c>infercost simulate</c>. Invariant culture throughout
/// (<c>2,800</c> is an error, not 2800).</summary>
public static class SimulationInputs
{
    public static readonly string[] PointColumns = ["concurrency", "ttftMs", "outputTokensPerSecond", "outputTokens"];

    /// <summary>Measured points from CSV with the header <c>concurrency,ttftMs,outputTokensPerSecond,outputTokens</c>
    /// (any order; other columns are ignored). Trace rows give the same <see cref="MeasuredPoint"/> list through
    /// <see cref="TraceRowServices"/>.</summary>
    public static InputReadResult<IReadOnlyList<MeasuredPoint>> ReadMeasuredPoints(TextReader reader)
    {
        var problems = new List<Diagnostic>();
        var points = new List<MeasuredPoint>();
        var lineNumber = 0;
        int[]? columnIndex = null;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#'))
            {
                continue;
            }
            var fields = SplitCsv(line);
            if (columnIndex is null)
            {
                columnIndex = new int[PointColumns.Length];
                for (var c = 0; c < PointColumns.Length; c++)
                {
                    columnIndex[c] = Array.FindIndex(fields, f => string.Equals(f, PointColumns[c], StringComparison.OrdinalIgnoreCase));
                    if (columnIndex[c] < 0)
                    {
                        problems.Add(Diagnostic.Error(lineNumber, null, PointColumns[c], line,
                            $"the header lacks the column '{PointColumns[c]}' (expected {string.Join(",", PointColumns)})"));
                    }
                }
                if (problems.Count > 0)
                {
                    return new(null, problems);
                }
                continue;
            }
            var values = new double[PointColumns.Length];
            var ok = true;
            for (var c = 0; c < PointColumns.Length; c++)
            {
                var at = columnIndex[c];
                var text = at < fields.Length ? fields[at] : "";
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out values[c]) || !double.IsFinite(values[c]))
                {
                    problems.Add(Diagnostic.Error(lineNumber, at + 1, PointColumns[c], text, "not a number (use a point for decimals, no thousands separators)"));
                    ok = false;
                }
            }
            if (!ok)
            {
                continue;
            }
            if (values[0] < 1 || values[0] != Math.Floor(values[0]))
            {
                problems.Add(Diagnostic.Error(lineNumber, columnIndex[0] + 1, "concurrency", fields[columnIndex[0]], "concurrency must be a whole number ≥ 1"));
                continue;
            }
            if (values[1] < 0)
            {
                problems.Add(Diagnostic.Error(lineNumber, columnIndex[1] + 1, "ttftMs", fields[columnIndex[1]], "TTFT must be ≥ 0"));
                ok = false;
            }
            if (values[2] <= 0)
            {
                problems.Add(Diagnostic.Error(lineNumber, columnIndex[2] + 1, "outputTokensPerSecond", fields[columnIndex[2]], "the per-stream decode speed must be > 0"));
                ok = false;
            }
            if (values[3] < 0)
            {
                problems.Add(Diagnostic.Error(lineNumber, columnIndex[3] + 1, "outputTokens", fields[columnIndex[3]], "output tokens must be ≥ 0"));
                ok = false;
            }
            if (points.Any(p => p.Concurrency == (int)values[0]))
            {
                problems.Add(Diagnostic.Error(lineNumber, columnIndex[0] + 1, "concurrency", fields[columnIndex[0]], "a point at this concurrency is already listed"));
                ok = false;
            }
            if (ok)
            {
                points.Add(new MeasuredPoint((int)values[0], values[1], values[2], values[3]));
            }
        }
        if (columnIndex is null)
        {
            problems.Add(Diagnostic.Error(0, null, null, null, $"the file is empty; it needs the header {string.Join(",", PointColumns)} and at least one row"));
        }
        else if (points.Count == 0 && problems.Count == 0)
        {
            problems.Add(Diagnostic.Error(0, null, null, null, "the file has a header but no measured points"));
        }
        return new(problems.Count == 0 ? points : null, problems);
    }

    /// <summary>A 24-value hourly demand shape: multipliers of the base rate for hours 0..23. One value per line in
    /// hour order, or <c>hour,multiplier</c> lines in any order; an optional header line and <c>#</c> comments.</summary>
    public static InputReadResult<IReadOnlyList<double>> ReadDemandShape(TextReader reader)
    {
        var problems = new List<Diagnostic>();
        var values = new double?[24];
        var next = 0;
        var lineNumber = 0;
        var sawData = false;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#'))
            {
                continue;
            }
            var fields = SplitCsv(line);
            var valueText = fields[^1];
            if (!sawData && !double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                sawData = true; // a header line
                continue;
            }
            sawData = true;
            int hour;
            if (fields.Length >= 2)
            {
                if (!int.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out hour) || hour is < 0 or > 23)
                {
                    problems.Add(Diagnostic.Error(lineNumber, 1, "hour", fields[0], "the hour must be a whole number from 0 to 23"));
                    continue;
                }
            }
            else
            {
                hour = next;
            }
            next = hour + 1;
            if (!double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v < 0)
            {
                problems.Add(Diagnostic.Error(lineNumber, fields.Length, "multiplier", valueText, "the multiplier must be a number ≥ 0"));
                continue;
            }
            if (hour > 23)
            {
                problems.Add(Diagnostic.Error(lineNumber, fields.Length, "multiplier", valueText, "more than 24 hourly values"));
                continue;
            }
            if (values[hour] is not null)
            {
                problems.Add(Diagnostic.Error(lineNumber, 1, "hour", hour.ToString(CultureInfo.InvariantCulture), "this hour already has a value"));
                continue;
            }
            values[hour] = v;
        }
        var missing = Enumerable.Range(0, 24).Where(h => values[h] is null).ToArray();
        if (missing.Length > 0 && problems.Count == 0)
        {
            problems.Add(Diagnostic.Error(0, null, null, null, $"the demand shape needs 24 hourly values; missing hour(s) {string.Join(", ", missing)}"));
        }
        if (problems.Count == 0 && values.All(v => v == 0))
        {
            problems.Add(Diagnostic.Error(0, null, null, null, "every hourly multiplier is 0, so nothing would arrive"));
        }
        return new(problems.Count == 0 ? values.Select(v => v!.Value).ToArray() : null, problems);
    }

    /// <summary>Request times to replay, one per line (first CSV field): seconds as a number, or an ISO 8601
    /// timestamp with an offset. Returned sorted, as seconds after the earliest time. An optional header line.</summary>
    public static InputReadResult<IReadOnlyList<double>> ReadReplayTimes(TextReader reader)
    {
        var problems = new List<Diagnostic>();
        var times = new List<double>();
        var lineNumber = 0;
        var first = true;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#'))
            {
                continue;
            }
            var text = SplitCsv(line)[0];
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds))
            {
                times.Add(seconds);
            }
            else if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                     && text.Contains('T', StringComparison.Ordinal))
            {
                times.Add(at.ToUnixTimeMilliseconds() / 1000.0);
            }
            else if (!first)
            {
                problems.Add(Diagnostic.Error(lineNumber, 1, "time", text, "not a number of seconds or an ISO 8601 timestamp"));
            }
            first = false;
        }
        if (times.Count == 0 && problems.Count == 0)
        {
            problems.Add(Diagnostic.Error(0, null, null, null, "the file holds no request times"));
        }
        if (problems.Count > 0)
        {
            return new(null, problems);
        }
        times.Sort();
        var origin = times[0];
        return new(times.Select(t => t - origin).ToArray(), problems);
    }

    /// <summary>Parses a span of time such as <c>24h</c>, <c>90m</c>, <c>30s</c>, <c>1500ms</c> or <c>2d</c>
    /// (a bare number is seconds) into seconds.</summary>
    public static bool TryParseDurationSeconds(string text, out double seconds)
    {
        seconds = 0;
        var t = text.Trim();
        (string suffix, double scale)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)];
        var scale = 1.0;
        foreach (var (suffix, factor) in units)
        {
            if (t.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && !(suffix == "s" && t.EndsWith("ms", StringComparison.OrdinalIgnoreCase)))
            {
                t = t[..^suffix.Length];
                scale = factor;
                break;
            }
        }
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0)
        {
            return false;
        }
        seconds = value * scale;
        return true;
    }

    /// <summary>Splits one CSV line (RFC 4180 quoting: <c>"2,800"</c> is one field, <c>""</c> inside quotes is a
    /// quote) and trims each field.</summary>
    private static string[] SplitCsv(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                fields.Add(field.ToString().Trim());
                field.Clear();
            }
            else
            {
                field.Append(ch);
            }
        }
        fields.Add(field.ToString().Trim());
        return fields.ToArray();
    }
}
