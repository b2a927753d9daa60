using System.Globalization;
using InferCost.Core.Diagnostics;

namespace InferCost.Core.Procurement;

/// <summary>A typical day of demand: requests per hour for hours 0..23, and where the counts came from (the profile,
/// a demand file, or request timestamps in the ledger). The one shape every demand source produces, so a new source
/// plugs in without touching the gates. Immutable.</summary>
public sealed record HourlyDemand
{
    public const int Hours = 24;

    public HourlyDemand(IReadOnlyList<double> requestsPerHour, string source)
    {
        if (requestsPerHour.Count != Hours)
        {
            throw new ArgumentException($"Hourly demand needs {Hours} counts, got {requestsPerHour.Count}.", nameof(requestsPerHour));
        }
        if (requestsPerHour.Any(c => !double.IsFinite(c) || c < 0))
        {
            throw new ArgumentException("Hourly counts must be finite and zero or more.", nameof(requestsPerHour));
        }
        RequestsPerHour = requestsPerHour.ToArray();
        Source = source;
    }

    public IReadOnlyList<double> RequestsPerHour { get; }

    public string Source { get; }

    public double RequestsPerDay => RequestsPerHour.Sum();

    public double MeanRequestsPerHour => RequestsPerDay / Hours;

    public double PeakRequestsPerHour => RequestsPerHour.Max();

    /// <summary>Reads 24 hourly counts: one per line (<c>count</c> or <c>hour,count</c>, hours 0..23 in order); blank
    /// lines and lines starting with # are skipped, as is a header line <c>hour,requests</c>. Problems carry line
    /// numbers; the result is null when there are any.</summary>
    public static HourlyDemand? Read(TextReader reader, string source, DiagnosticBag diagnostics)
    {
        var counts = new List<double>();
        var lineNumber = 0;
        var errors = diagnostics.ErrorCount;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#') || (counts.Count == 0 && text.StartsWith("hour", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }
            var parts = text.Split(',');
            var countText = parts[^1].Trim();
            if (parts.Length == 2)
            {
                if (!int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var hour) || hour != counts.Count)
                {
                    diagnostics.Add(Diagnostic.Error(lineNumber, 1, "hour", parts[0].Trim(), $"must be the hour {counts.Count} (hours 0 to 23, in order)"));
                }
            }
            else if (parts.Length > 2)
            {
                diagnostics.Add(Diagnostic.Error(lineNumber, null, null, text, "must be a count, or hour,count"));
                continue;
            }
            if (double.TryParse(countText, NumberStyles.Float, CultureInfo.InvariantCulture, out var count) && double.IsFinite(count) && count >= 0)
            {
                counts.Add(count);
            }
            else
            {
                diagnostics.Add(Diagnostic.Error(lineNumber, parts.Length, "requests", countText, "must be a number of requests, zero or more, with a '.' decimal point"));
                counts.Add(0);
            }
        }
        if (counts.Count != Hours)
        {
            diagnostics.Add(Diagnostic.Error(0, null, null, null, $"holds {counts.Count} hourly counts; it needs {Hours} (hours 0 to 23)"));
        }
        return diagnostics.ErrorCount > errors ? null : new HourlyDemand(counts, source);
    }
}
