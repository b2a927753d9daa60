using InferCost.Core.Diagnostics;
using InferCost.Core.Reading;

namespace InferCost.Core.Events;

/// <summary>Reads judgements (<c>requestId, accepted[, reviewMinutes]</c>) from a reviewer's CSV or an evaluator's
/// JSON Lines, with line, column, value and reason for every problem; a request judged twice is an error.</summary>
public static class JudgementReader
{
    public static (List<Judgement> Judgements, DiagnosticBag Diagnostics) Read(Stream content, TraceFormat format)
    {
        var diagnostics = new DiagnosticBag();
        var judgements = new List<Judgement>();
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        void Add(string? id, string? accepted, string? minutes, long line, int? idColumn, int? acceptedColumn, int? minutesColumn)
        {
            if (string.IsNullOrWhiteSpace(id))
            {
                diagnostics.Add(Diagnostic.Error(line, idColumn, "requestId", id, "required value is empty"));
                return;
            }
            var ok = true;
            if (accepted is null || ValueParsers.ParseBoolean(accepted, out var verdict) is { } problem)
            {
                diagnostics.Add(Diagnostic.Error(line, acceptedColumn, "accepted", accepted, accepted is null ? "required value is empty" : "is not a boolean (use true/false, 1/0 or yes/no)"));
                ok = false;
                verdict = false;
            }
            double? review = null;
            if (!string.IsNullOrWhiteSpace(minutes))
            {
                if (ValueParsers.ParseNonNegative(minutes, out var m) is { } reason)
                {
                    diagnostics.Add(Diagnostic.Error(line, minutesColumn, "reviewMinutes", minutes, reason));
                    ok = false;
                }
                review = m;
            }
            if (seen.TryGetValue(id.Trim(), out var first))
            {
                diagnostics.Add(Diagnostic.Error(line, idColumn, "requestId", id, $"is judged twice (first on line {first})"));
                return;
            }
            seen[id.Trim()] = line;
            if (ok)
            {
                judgements.Add(new Judgement(id.Trim(), verdict, review));
            }
        }
        if (format == TraceFormat.Csv)
        {
            using var text = new StreamReader(content, TraceReader.StrictUtf8, true, 1 << 16, leaveOpen: true);
            var csv = new CsvRecordReader(text);
            if (!csv.Read())
            {
                diagnostics.Add(Diagnostic.Error(0, null, null, null, "is empty: expected a header requestId,accepted[,reviewMinutes]"));
                return (judgements, diagnostics);
            }
            var header = Enumerable.Range(0, csv.FieldCount).Select(i => csv.Field(i).Trim().ToString()).ToList();
            int id = header.IndexOf("requestId"), accepted = header.IndexOf("accepted"), minutes = header.IndexOf("reviewMinutes");
            if (id < 0 || accepted < 0)
            {
                diagnostics.Add(Diagnostic.Error(1, null, id < 0 ? "requestId" : "accepted", null, "required column is missing from the header (requestId,accepted[,reviewMinutes])"));
                return (judgements, diagnostics);
            }
            while (csv.Read())
            {
                if (csv.Problem is not null || csv.FieldCount != header.Count)
                {
                    diagnostics.Add(Diagnostic.Error(csv.RecordLine, null, null, null, csv.Problem ?? $"row has {csv.FieldCount} fields but the header has {header.Count}"));
                    continue;
                }
                Add(csv.Field(id).ToString(), csv.Field(accepted).IsWhiteSpace() ? null : csv.Field(accepted).ToString(),
                    minutes >= 0 ? csv.Field(minutes).ToString() : null, csv.RecordLine, id + 1, accepted + 1, minutes + 1);
            }
        }
        else
        {
            var lines = new Utf8LineReader(content);
            while (lines.Read(out var line))
            {
                if (line.Trim(" \t"u8).IsEmpty)
                {
                    continue;
                }
                try
                {
                    using var document = System.Text.Json.JsonDocument.Parse(line.ToArray());
                    var root = document.RootElement;
                    string? Text(string key) => root.ValueKind == System.Text.Json.JsonValueKind.Object && root.TryGetProperty(key, out var v)
                        ? v.ValueKind switch
                        {
                            System.Text.Json.JsonValueKind.String => v.GetString(),
                            System.Text.Json.JsonValueKind.Null => null,
                            _ => v.GetRawText(),
                        }
                        : null;
                    Add(Text("requestId"), Text("accepted"), Text("reviewMinutes"), lines.LineNumber, null, null, null);
                }
                catch (System.Text.Json.JsonException ex)
                {
                    diagnostics.Add(Diagnostic.Error(lines.LineNumber, null, null, null, "is not valid JSON (truncated or malformed): " + JsonText.TrimMessage(ex.Message)));
                }
            }
        }
        if (judgements.Count == 0 && !diagnostics.HasErrors)
        {
            diagnostics.Add(Diagnostic.Error(0, null, null, null, "has no judgements"));
        }
        return (judgements, diagnostics);
    }
}
