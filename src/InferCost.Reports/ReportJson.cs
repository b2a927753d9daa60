using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using InferCost.Core.Reporting;

namespace InferCost.Reports;

/// <summary>report.json: the report model as camelCase JSON under <c>"schema": "infercost.report/v1"</c>.</summary>
public static class ReportJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static void Write(TextWriter writer, ReportModel model)
    {
        writer.Write(JsonSerializer.Serialize(model, Options));
        writer.Write('\n');
    }
}
