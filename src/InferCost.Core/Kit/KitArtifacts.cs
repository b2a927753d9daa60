using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using InferCost.Core.Writing;

namespace InferCost.Core.Kit;

/// <summary>The four Trace Kit artifacts the playbook manifest names, as file name → content.</summary>
public static class KitArtifacts
{
    public static readonly IReadOnlyList<string> FileNames = ["runbook.md", "trace-template.csv", "trace-schema.json", "manifest.json", "profile.yaml"];

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IReadOnlyList<(string FileName, string Content)> Build() =>
    [
        ("runbook.md", Runbook()),
        ("trace-template.csv", TemplateCsv()),
        ("trace-schema.json", ToJson(TraceSchema.Build())),
        ("manifest.json", ToJson(KitManifest.Build())),
        ("profile.yaml", ExampleProfile()),
    ];

    public static string TemplateCsv()
    {
        var writer = new StringWriter();
        TraceCsvWriter.Write(writer, TemplateRows.Rows);
        return writer.ToString();
    }

    public static string Runbook() => Resource("runbook.md");

    /// <summary>The commented example buyer profile for <c>infercost procure</c>, matching the bundled example traces.</summary>
    public static string ExampleProfile() => Resource("profile.yaml");

    private static string Resource(string fileName)
    {
        var assembly = typeof(KitArtifacts).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(fileName, StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        return reader.ReadToEnd();
    }

    private static string ToJson(JsonNode node) => node.ToJsonString(Indented) + "\n";
}
