using InferCost.Core.Diagnostics;
using InferCost.Core.Reading;

namespace InferCost.Core.Events;

/// <summary>Request events from CSV: UTF-8 with or without BOM, LF or CRLF, RFC 4180 quoting, header on line 1.</summary>
internal static class CsvEventReader
{
    public static long Read(Stream content, DiagnosticBag diagnostics, Action<RequestEvent, long> onEvent)
    {
        using var text = new StreamReader(content, TraceReader.StrictUtf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        var csv = new CsvRecordReader(text);
        if (!csv.Read())
        {
            diagnostics.Add(Diagnostic.Error(0, null, null, null, "is empty: expected a header line naming the event fields"));
            return 0;
        }
        if (csv.SawNul)
        {
            TraceReader.ReportBinary(diagnostics);
            return 0;
        }
        var columnOf = Header(csv, diagnostics, out var headerBroken);
        var row = new CsvRawRow(csv, columnOf);
        var binder = new EventRowBinder(reportMissingFieldsPerRow: false);
        var width = csv.FieldCount;
        long dataRows = 0;
        while (csv.Read())
        {
            if (csv.SawNul)
            {
                TraceReader.ReportBinary(diagnostics);
                return dataRows;
            }
            dataRows++;
            if (csv.Problem is not null)
            {
                diagnostics.Add(Diagnostic.Error(csv.RecordLine, null, null, null, csv.Problem));
                continue;
            }
            if (csv.FieldCount != width)
            {
                diagnostics.Add(Diagnostic.Error(csv.RecordLine, null, null, null, $"row has {csv.FieldCount} fields but the header has {width}"));
                continue;
            }
            if (headerBroken)
            {
                continue;
            }
            if (binder.Bind(row, diagnostics) is { } bound)
            {
                onEvent(bound, csv.RecordLine);
            }
        }
        if (dataRows == 0)
        {
            diagnostics.Add(Diagnostic.Error(1, null, null, null, "has a header but no events"));
        }
        return dataRows;
    }

    private static int[] Header(CsvRecordReader csv, DiagnosticBag diagnostics, out bool broken)
    {
        var columnOf = Enumerable.Repeat(-1, EventFields.Count).ToArray();
        broken = false;
        for (var c = 0; c < csv.FieldCount; c++)
        {
            var name = csv.Field(c).Trim().ToString();
            var index = EventFields.IndexOf(name);
            if (index < 0)
            {
                diagnostics.Add(Diagnostic.Warning(1, c + 1, name, name, EventFields.UnknownColumnMessage(name)));
                continue;
            }
            if (columnOf[index] >= 0)
            {
                diagnostics.Add(Diagnostic.Error(1, c + 1, name, name, $"appears twice in the header (first in column {columnOf[index] + 1})"));
                broken = true;
                continue;
            }
            columnOf[index] = c;
        }
        foreach (var field in EventFields.All.Where(f => f.IsRequired))
        {
            if (columnOf[EventFields.IndexOf(field.Name)] < 0)
            {
                diagnostics.Add(Diagnostic.Error(1, null, field.Name, null, "required column is missing from the header"));
                broken = true;
            }
        }
        if (columnOf[EventFields.LatencyMs] < 0 && columnOf[EventFields.EndedAt] < 0)
        {
            diagnostics.Add(Diagnostic.Error(1, null, "latencyMs", null, "the header needs latencyMs or endedAt"));
            broken = true;
        }
        if (columnOf[EventFields.Status] < 0 && !broken)
        {
            diagnostics.Add(Diagnostic.Warning(1, null, "status", null, "column is absent, so every event is taken as ok"));
        }
        return columnOf;
    }

    private sealed class CsvRawRow(CsvRecordReader csv, int[] columnOf) : IRawRow
    {
        public long RowLine => csv.RecordLine;
        public bool Has(int field) => columnOf[field] >= 0;
        public ReadOnlySpan<char> Value(int field) => csv.Field(columnOf[field]);
        public long Line(int field) => csv.FieldLine(columnOf[field]);
        public int? ColumnNumber(int field) => columnOf[field] + 1;
    }
}
