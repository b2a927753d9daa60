using InferCost.Core.Diagnostics;

namespace InferCost.Core.Reading;

/// <summary>
/// The CSV loop shared by contract rows and request events: strict UTF-8 with or without BOM, LF or CRLF,
/// RFC 4180 quoting, header on line 1. Empty, header-only and binary input, malformed records and records whose
/// width differs from the header become located diagnostics; every other record goes to the binder.
/// </summary>
internal static class CsvRecords
{
    /// <summary>Where each field sits in the header (−1 when absent), and whether the header itself is broken.</summary>
    public readonly record struct Header(int[] ColumnOf, bool Broken);

    /// <param name="fieldsNoun">What the header should name, e.g. "contract fields".</param>
    /// <param name="itemsNoun">What the data lines are, e.g. "rows".</param>
    /// <returns>The number of data records read.</returns>
    public static long Read<T>(Stream content, DiagnosticBag diagnostics, string fieldsNoun, string itemsNoun,
        Func<CsvRecordReader, DiagnosticBag, Header> readHeader, Func<IRawRow, DiagnosticBag, T?> bind, Action<T, long> onItem)
        where T : class
    {
        using var text = new StreamReader(content, TraceReader.StrictUtf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        var csv = new CsvRecordReader(text);
        if (!csv.Read())
        {
            diagnostics.Add(Diagnostic.Error(0, null, null, null, $"is empty: expected a header line naming the {fieldsNoun}"));
            return 0;
        }
        if (csv.SawNul)
        {
            TraceReader.ReportBinary(diagnostics);
            return 0;
        }
        var width = csv.FieldCount;
        var header = readHeader(csv, diagnostics);
        var row = new CsvRawRow(csv, header.ColumnOf);
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
            // With a broken header (a required column missing, say) the file is invalid and nothing is handed on, but
            // the columns that are there are still checked, so one run shows every problem.
            if (bind(row, diagnostics) is { } bound && !header.Broken)
            {
                onItem(bound, csv.RecordLine);
            }
        }
        if (dataRows == 0)
        {
            diagnostics.Add(Diagnostic.Error(1, null, null, null, $"has a header but no {itemsNoun}"));
        }
        return dataRows;
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
