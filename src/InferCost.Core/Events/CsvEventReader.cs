using InferCost.Core.Diagnostics;
using InferCost.Core.Reading;

namespace InferCost.Core.Events;

/// <summary>Request events from CSV (see <see cref="CsvRecords"/> for the encoding and record rules) and their header.</summary>
internal static class CsvEventReader
{
    public static long Read(Stream content, DiagnosticBag diagnostics, Action<RequestEvent, long> onEvent)
    {
        var binder = new EventRowBinder(reportMissingFieldsPerRow: false);
        return CsvRecords.Read(content, diagnostics, "event fields", "events",
            ReadHeader, binder.Bind, onEvent);
    }

    internal static CsvRecords.Header ReadHeader(CsvRecordReader csv, DiagnosticBag diagnostics) =>
        new(Header(csv, diagnostics, out var broken), broken);

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
}
