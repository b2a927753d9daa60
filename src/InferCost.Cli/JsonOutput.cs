using InferCost.Reports;

namespace InferCost.Cli;

/// <summary>Writes command output as JSON with the same options as report.json: camelCase, indented,
/// enums as strings, nulls kept (a null with a reason is information).</summary>
internal static class JsonOutput
{
    public static void Write(TextWriter writer, object value)
    {
        writer.Write(System.Text.Json.JsonSerializer.Serialize(value, ReportJson.Options));
        writer.Write('\n');
    }
}
