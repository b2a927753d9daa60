using InferCost.Core.Diagnostics;
using InferCost.Core.Events;

namespace InferCost.Core.Reading;

/// <summary>Where each field sits in a CSV header line (−1 when absent), how many columns the header has, and
/// whether the header itself is broken (a required column missing, a column twice).</summary>
public sealed record CsvColumns(int[] ColumnOf, int Width, bool Broken);

/// <summary>
/// The header checks of the contract-row and request-event CSV readers, for one header line on its own: the bulk
/// loader reads the header here, with the same warnings and errors the record-by-record readers give, and leaves
/// the records to DuckDB.
/// </summary>
public static class CsvHeaders
{
    public static CsvColumns Contract(string headerLine, DiagnosticBag diagnostics) =>
        Read(headerLine, diagnostics, (csv, bag) =>
        {
            var map = HeaderMap.FromCsv(csv, bag);
            return new CsvRecords.Header(map.ColumnOf, map.HasErrors);
        });

    public static CsvColumns Events(string headerLine, DiagnosticBag diagnostics) =>
        Read(headerLine, diagnostics, CsvEventReader.ReadHeader);

    private static CsvColumns Read(string headerLine, DiagnosticBag diagnostics, Func<CsvRecordReader, DiagnosticBag, CsvRecords.Header> readHeader)
    {
        var csv = new CsvRecordReader(new StringReader(headerLine));
        if (!csv.Read())
        {
            return new CsvColumns([], 0, Broken: true);
        }
        var header = readHeader(csv, diagnostics);
        return new CsvColumns(header.ColumnOf, csv.FieldCount, header.Broken);
    }
}
