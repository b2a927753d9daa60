using InferCost.Core.Contract;
using InferCost.Core.Diagnostics;

namespace InferCost.Core.Reading;

/// <summary>Contract rows from CSV: UTF-8 with or without BOM, LF or CRLF, RFC 4180 quoting, header on line 1.</summary>
internal static class CsvTraceReader
{
    public static long Read(Stream content, DiagnosticBag diagnostics, Action<TraceRow, long> onRow)
    {
        using var text = new StreamReader(content, TraceReader.StrictUtf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        var csv = new CsvRecordReader(text);
        if (!csv.Read())
        {
            diagnostics.Add(Diagnostic.Error(0, null, null, null, "is empty: expected a header line naming the contract fields"));
            return 0;
        }
        if (csv.SawNul)
        {
            TraceReader.ReportBinary(diagnostics);
            return 0;
        }
        var columns = HeaderMap.FromCsv(csv, diagnostics);
        var row = new CsvRawRow(csv, columns);
        var binder = new TraceRowBinder(reportMissingFieldsPerRow: false);
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
            if (csv.FieldCount != columns.HeaderWidth)
            {
                diagnostics.Add(Diagnostic.Error(csv.RecordLine, null, null, null,
                    $"row has {csv.FieldCount} fields but the header has {columns.HeaderWidth}"));
                continue;
            }
            if (columns.HasErrors)
            {
                continue; // the header is broken; the rows cannot be checked field by field
            }
            var bound = binder.Bind(row, diagnostics);
            if (bound is not null)
            {
                onRow(bound, csv.RecordLine);
            }
        }
        if (dataRows == 0)
        {
            diagnostics.Add(Diagnostic.Error(1, null, null, null, "has a header but no rows"));
        }
        return dataRows;
    }

    private sealed class CsvRawRow(CsvRecordReader csv, HeaderMap columns) : IRawRow
    {
        public long RowLine => csv.RecordLine;
        public bool Has(int field) => columns.ColumnOf[field] >= 0;
        public ReadOnlySpan<char> Value(int field) => csv.Field(columns.ColumnOf[field]);
        public long Line(int field) => csv.FieldLine(columns.ColumnOf[field]);
        public int? ColumnNumber(int field) => columns.ColumnOf[field] + 1;
    }
}
