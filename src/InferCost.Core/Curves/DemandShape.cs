using System.Globalization;
using System.Text.Json;
using InferCost.Core.Diagnostics;
using InferCost.Core.Reading;

namespace InferCost.Core.Curves;

/// <summary>How demand spreads over the 24 hours of a day. Capacity is sized for the peak hour:
/// peak-hour rate = monthly volume × <see cref="PeakFactor"/> ÷ (730 × 3600 s). Immutable.</summary>
public sealed record DemandShape
{
    public const int Hours = 24;

    public required IReadOnlyList<double> HourlyWeights { get; init; }
    /// <summary>"flat" or the file the weights came from.</summary>
    public required string Source { get; init; }

    /// <summary>Peak-hour demand ÷ mean-hour demand: 1 for flat demand.</summary>
    public double PeakFactor => HourlyWeights.Max() / HourlyWeights.Average();

    public static DemandShape Flat { get; } = new() { HourlyWeights = Enumerable.Repeat(1.0, Hours).ToArray(), Source = "flat" };

    /// <summary>Reads 24 hourly weights: JSON (an array, or {"hourlyWeights": [...]}) or CSV with header hour,weight.
    /// Weights are relative (any non-negative numbers, not all zero).</summary>
    public static DemandShape? Parse(string content, bool json, string source, DiagnosticBag diagnostics)
    {
        var weights = json ? ParseJson(content, diagnostics) : ParseCsv(content, diagnostics);
        if (weights is null || diagnostics.HasErrors)
        {
            return null;
        }
        if (weights.Count != Hours)
        {
            diagnostics.Add(Diagnostic.Error(0, null, null, null, $"has {weights.Count} hourly weights; a demand shape needs exactly {Hours}, one per hour of the day"));
            return null;
        }
        if (weights.All(w => w == 0))
        {
            diagnostics.Add(Diagnostic.Error(0, null, null, null, "has only zero weights: there is no demand to size capacity for"));
            return null;
        }
        return new DemandShape { HourlyWeights = weights, Source = source };
    }

    private static List<double>? ParseJson(string content, DiagnosticBag diagnostics)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            var array = document.RootElement;
            if (array.ValueKind == JsonValueKind.Object && array.TryGetProperty("hourlyWeights", out var inner))
            {
                array = inner;
            }
            if (array.ValueKind != JsonValueKind.Array)
            {
                diagnostics.Add(Diagnostic.Error(1, null, null, null, "must be a JSON array of 24 hourly weights or {\"hourlyWeights\": [...]}"));
                return null;
            }
            var weights = new List<double>();
            var i = 0;
            foreach (var element in array.EnumerateArray())
            {
                Add(element.ValueKind == JsonValueKind.Number ? element.GetRawText() : element.ToString(), 0, $"hourlyWeights[{i++}]", weights, diagnostics);
            }
            return weights;
        }
        catch (JsonException ex)
        {
            diagnostics.Add(Diagnostic.Error((ex.LineNumber ?? 0) + 1, null, null, null, "is not valid JSON"));
            return null;
        }
    }

    private static List<double>? ParseCsv(string content, DiagnosticBag diagnostics)
    {
        var csv = new CsvRecordReader(new StringReader(content));
        if (!csv.Read() || csv.FieldCount < 2 || !csv.Field(0).Trim().SequenceEqual("hour") || !csv.Field(1).Trim().SequenceEqual("weight"))
        {
            diagnostics.Add(Diagnostic.Error(1, null, null, null, "needs the header hour,weight"));
            return null;
        }
        var byHour = new SortedDictionary<int, double>();
        while (csv.Read())
        {
            var hourText = csv.Field(0).Trim().ToString();
            if (!int.TryParse(hourText, NumberStyles.None, CultureInfo.InvariantCulture, out var hour) || hour > 23 || byHour.ContainsKey(hour))
            {
                diagnostics.Add(Diagnostic.Error(csv.RecordLine, 1, "hour", hourText, "must be a whole hour from 0 to 23, each given once"));
                continue;
            }
            var list = new List<double>();
            Add(csv.FieldCount > 1 ? csv.Field(1).ToString() : string.Empty, csv.RecordLine, "weight", list, diagnostics);
            if (list.Count == 1)
            {
                byHour[hour] = list[0];
            }
        }
        return byHour.Values.ToList();
    }

    private static void Add(string text, long line, string column, List<double> weights, DiagnosticBag diagnostics)
    {
        var problem = ValueParsers.ParseNonNegative(text, out var weight);
        if (problem is not null)
        {
            diagnostics.Add(Diagnostic.Error(line, line > 0 ? 2 : null, column, text, problem));
            return;
        }
        weights.Add(weight);
    }
}
