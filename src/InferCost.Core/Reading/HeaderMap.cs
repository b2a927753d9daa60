using InferCost.Core.Contract;
using InferCost.Core.Diagnostics;

namespace InferCost.Core.Reading;

/// <summary>Where each contract field sits in a CSV header; reports missing, duplicate and unknown columns.</summary>
internal sealed class HeaderMap
{
    public required int[] ColumnOf { get; init; }
    public bool HasErrors { get; private init; }

    public static HeaderMap FromCsv(CsvRecordReader csv, DiagnosticBag diagnostics)
    {
        var columnOf = Enumerable.Repeat(-1, TraceContract.Fields.Count).ToArray();
        var hasErrors = false;
        for (var c = 0; c < csv.FieldCount; c++)
        {
            var name = csv.Field(c).Trim().ToString();
            var index = TraceContract.IndexOf(name);
            if (index < 0)
            {
                diagnostics.Add(Diagnostic.Warning(1, c + 1, name, name, UnknownColumnMessage(name)));
                continue;
            }
            if (columnOf[index] >= 0)
            {
                diagnostics.Add(Diagnostic.Error(1, c + 1, name, name, $"appears twice in the header (first in column {columnOf[index] + 1})"));
                hasErrors = true;
                continue;
            }
            columnOf[index] = c;
        }
        foreach (var field in TraceContract.SeedFields)
        {
            if (columnOf[TraceContract.IndexOf(field.Name)] < 0)
            {
                diagnostics.Add(Diagnostic.Error(1, null, field.Name, null, "required column is missing from the header"));
                hasErrors = true;
            }
        }
        return new HeaderMap { ColumnOf = columnOf, HasErrors = hasErrors };
    }

    /// <summary>Unknown columns are kept out of every computation; the message suggests the intended name.</summary>
    public static string UnknownColumnMessage(string name)
    {
        var suggestion = Suggest(name);
        return suggestion is null
            ? "is not a contract field and is ignored"
            : $"is not a contract field and is ignored (did you mean {suggestion}? names are case-sensitive)";
    }

    private static string? Suggest(string name) =>
        InferCost.Core.Fit.NameMatcher.Nearest(name, TraceContract.Fields.Select(f => f.Name));
}
