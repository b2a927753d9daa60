using InferCost.Core.Contract;
using InferCost.Core.Diagnostics;

namespace InferCost.Core.Reading;

/// <summary>Contract rows from CSV (see <see cref="CsvRecords"/> for the encoding and record rules).</summary>
internal static class CsvTraceReader
{
    public static long Read(Stream content, DiagnosticBag diagnostics, Action<TraceRow, long> onRow)
    {
        var binder = new TraceRowBinder(reportMissingFieldsPerRow: false);
        return CsvRecords.Read(content, diagnostics, "contract fields", "rows",
            (csv, bag) =>
            {
                var map = HeaderMap.FromCsv(csv, bag);
                return new CsvRecords.Header(map.ColumnOf, map.HasErrors);
            },
            binder.Bind, onRow);
    }
}
