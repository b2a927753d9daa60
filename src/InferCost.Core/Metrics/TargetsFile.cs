using System.Text.Json;
using InferCost.Core.Diagnostics;
using InferCost.Core.Reading;

namespace InferCost.Core.Metrics;

/// <summary>Per-workload p95 targets: a JSON object <c>{"workload": ms}</c>, or CSV with header <c>workload,targetP95Ms</c>.</summary>
public static class TargetsFile
{
    public static IReadOnlyDictionary<string, double> Parse(string content, bool json, DiagnosticBag diagnostics)
    {
        var targets = new Dictionary<string, double>(StringComparer.Ordinal);
        return json ? ParseJson(content, diagnostics, targets) : ParseCsv(content, diagnostics, targets);
    }

    private static Dictionary<string, double> ParseJson(string content, DiagnosticBag diagnostics, Dictionary<string, double> targets)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                diagnostics.Add(Diagnostic.Error(1, null, null, null, "must be a JSON object mapping workload names to p95 targets in ms"));
                return targets;
            }
            foreach (var property in document.RootElement.EnumerateObject())
            {
                Add(property.Name, property.Value.ValueKind == JsonValueKind.Number ? property.Value.GetRawText() : property.Value.ToString(), 0, targets, diagnostics);
            }
        }
        catch (JsonException ex)
        {
            diagnostics.Add(Diagnostic.Error((ex.LineNumber ?? 0) + 1, null, null, null, "is not valid JSON"));
        }
        return targets;
    }

    private static Dictionary<string, double> ParseCsv(string content, DiagnosticBag diagnostics, Dictionary<string, double> targets)
    {
        var csv = new CsvRecordReader(new StringReader(content));
        if (!csv.Read() || csv.FieldCount < 2 || !csv.Field(0).Trim().SequenceEqual("workload") || !csv.Field(1).Trim().SequenceEqual("targetP95Ms"))
        {
            diagnostics.Add(Diagnostic.Error(1, null, null, null, "needs the header workload,targetP95Ms"));
            return targets;
        }
        while (csv.Read())
        {
            if (csv.FieldCount != 2)
            {
                diagnostics.Add(Diagnostic.Error(csv.RecordLine, null, null, null, $"row has {csv.FieldCount} fields but the header has 2"));
                continue;
            }
            Add(csv.Field(0).Trim().ToString(), csv.Field(1).ToString(), csv.RecordLine, targets, diagnostics);
        }
        return targets;
    }

    private static void Add(string workload, string text, long line, Dictionary<string, double> targets, DiagnosticBag diagnostics)
    {
        var problem = ValueParsers.ParseNonNegative(text, out var ms);
        if (problem is not null)
        {
            diagnostics.Add(Diagnostic.Error(line, null, workload, text, problem));
            return;
        }
        targets[workload] = ms;
    }
}
