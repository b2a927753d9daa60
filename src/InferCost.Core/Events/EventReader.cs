using System.Text;
using InferCost.Core.Diagnostics;
using InferCost.Core.Reading;

namespace InferCost.Core.Events;

/// <summary>Reads request events from CSV, JSON (an array, or an object with an <c>events</c> array) or JSON Lines,
/// with the same precision as contract rows: every problem as line, column, value and reason. Valid events go to
/// <c>onEvent</c> as they are read (streaming for CSV and JSON Lines). Exceptions escape only for I/O failures.</summary>
public static class EventReader
{
    public static TraceFileResult Read(Stream content, string path, TraceFormat format, Action<RequestEvent, long> onEvent)
    {
        var diagnostics = new DiagnosticBag();
        long dataRows = 0, validRows = 0;
        void Accept(RequestEvent e, long line)
        {
            validRows++;
            onEvent(e, line);
        }
        try
        {
            dataRows = format switch
            {
                TraceFormat.Csv => CsvEventReader.Read(content, diagnostics, Accept),
                TraceFormat.Json => JsonEventReader.ReadDocument(content, diagnostics, Accept),
                _ => JsonEventReader.ReadLines(content, diagnostics, Accept),
            };
        }
        catch (DecoderFallbackException)
        {
            diagnostics.Add(Diagnostic.Error(0, null, null, null, "is not UTF-8 text (it looks like a binary file)"));
        }
        return new TraceFileResult(path, format, dataRows, validRows, diagnostics);
    }

    /// <summary>Reads every event into a list (for small inputs and tests; the ledger streams instead).</summary>
    public static (TraceFileResult Result, List<RequestEvent> Events) ReadAll(Stream content, string path, TraceFormat format)
    {
        var events = new List<RequestEvent>();
        var result = Read(content, path, format, (e, _) => events.Add(e));
        return (result, events);
    }
}
