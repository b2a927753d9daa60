using System.Text;
using InferCost.Core.Contract;
using InferCost.Core.Diagnostics;

namespace InferCost.Core.Reading;

/// <summary>Reads contract rows from CSV, JSON or JSON Lines, streaming where the format allows.
/// Valid rows go to <c>onRow</c> as they are read; every problem goes to the result's diagnostics.
/// Exceptions escape only for I/O failures of the stream itself.</summary>
public static class TraceReader
{
    /// <summary>Strict UTF-8: invalid byte sequences throw, so binary input is caught rather than mangled.</summary>
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static TraceFileResult Read(Stream content, string path, TraceFormat format, Action<TraceRow, long> onRow)
    {
        var diagnostics = new DiagnosticBag();
        long dataRows = 0, validRows = 0;
        void Accept(TraceRow row, long line)
        {
            validRows++;
            onRow(row, line);
        }
        try
        {
            dataRows = format switch
            {
                TraceFormat.Csv => CsvTraceReader.Read(content, diagnostics, Accept),
                TraceFormat.Json => JsonTraceReader.ReadDocument(content, diagnostics, Accept),
                _ => JsonTraceReader.ReadLines(content, diagnostics, Accept),
            };
        }
        catch (DecoderFallbackException)
        {
            diagnostics.Add(Diagnostic.Error(0, null, null, null, "is not UTF-8 text (it looks like a binary file)"));
        }
        return new TraceFileResult(path, format, dataRows, validRows, diagnostics);
    }

    internal static void ReportBinary(DiagnosticBag diagnostics) =>
        diagnostics.Add(Diagnostic.Error(0, null, null, null, "is not a text file (it contains NUL bytes)"));
}
