using InferCost.Core.Contract;
using InferCost.Core.Playbook;
using InferCost.Core.Reading;

namespace InferCost.Core.Kit;

/// <summary>The seed's three template rows, read through the contract like any user input.</summary>
public static class TemplateRows
{
    public static IReadOnlyList<TraceRow> Rows { get; } = Load();

    private static TraceRow[] Load()
    {
        var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(PlaybookManifest.Default.TraceKit.TemplateRows);
        var rows = new List<TraceRow>();
        var result = TraceReader.Read(new MemoryStream(json), "playbook-manifest.json", TraceFormat.Json, (row, _) => rows.Add(row));
        if (!result.IsValid)
        {
            throw new InvalidOperationException("The embedded seed template rows do not satisfy the contract: " +
                                                result.Diagnostics.Errors[0].ToSentence(result.Path));
        }
        return [.. rows];
    }
}
