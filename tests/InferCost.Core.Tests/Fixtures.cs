using InferCost.Core.Contract;
using InferCost.Core.Reading;

namespace InferCost.Core.Tests;

/// <summary>Reads the spec fixtures in tests/fixtures (copied next to the test assembly).</summary>
internal static class Fixtures
{
    public static string PathOf(string relative) => Path.Combine(AppContext.BaseDirectory, "fixtures", relative);

    public static (TraceFileResult Result, List<TraceRow> Rows) Read(string relative)
    {
        var path = PathOf(relative);
        var rows = new List<TraceRow>();
        using var stream = File.OpenRead(path);
        var head = File.ReadAllBytes(path).AsSpan(0, (int)Math.Min(512, new FileInfo(path).Length)).ToArray();
        var result = TraceReader.Read(stream, relative, TraceFormats.Detect(path, head), (row, _) => rows.Add(row));
        return (result, rows);
    }

    public static (TraceFileResult Result, List<TraceRow> Rows) ReadText(string text, TraceFormat format = TraceFormat.Csv)
    {
        var rows = new List<TraceRow>();
        var result = TraceReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), "inline", format, (row, _) => rows.Add(row));
        return (result, rows);
    }
}
