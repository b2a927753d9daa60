using InferCost.Core.Contract;
using InferCost.Core.Events;
using InferCost.Core.Importers;
using InferCost.Core.Metrics;
using InferCost.Core.Reading;

namespace InferCost.Core.Tests.Importers;

/// <summary>Reads a fixture (or inline text) through the import formats, collecting events, rows and diagnostics.</summary>
internal static class ImportHarness
{
    public static readonly FillIns Fill = new(Route: "self-hosted", Workload: "support", Provider: "vLLM");

    public sealed record Imported(ImportedFile File, List<RequestEvent> Events, List<TraceRow> Rows, string? Detected)
    {
        public IEnumerable<string> Errors => File.Result.Diagnostics.Errors.Select(d => d.ToSentence(File.Result.Path));
        public IEnumerable<string> Warnings => File.Result.Diagnostics.Warnings.Select(d => d.ToSentence(File.Result.Path));

        public void Valid() => Assert.True(File.Result.IsValid, string.Join("; ", Errors));
    }

    public static Imported Fixture(string relative, FillIns? fill = null, string? format = null) =>
        Bytes(relative, File.ReadAllBytes(Fixtures.PathOf("importers/" + relative)), fill, format);

    public static Imported Text(string name, string text, FillIns? fill = null, string? format = null) =>
        Bytes(name, System.Text.Encoding.UTF8.GetBytes(text), fill, format);

    private static Imported Bytes(string name, byte[] bytes, FillIns? fill, string? format)
    {
        var detected = ImportFormats.Detect(ImportFormats.Probe(name, bytes));
        var events = new List<RequestEvent>();
        var rows = new List<TraceRow>();
        var file = ImportFormats.Read(format ?? detected ?? "contract", new MemoryStream(bytes), name, TraceFormats.Detect(name, bytes), fill ?? Fill,
            (e, _) => events.Add(e), (r, _) => rows.Add(r));
        return new Imported(file, events, rows, detected);
    }

    public static RollupRow One(IEnumerable<RequestEvent> events) => Assert.Single(EventRollup.Rollup(events.ToList(), [GroupDimension.Workload]));
}
