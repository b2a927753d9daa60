using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace InferCost.Cli;

/// <summary>The one place JSON output is configured: camelCase, indented, enums as strings, nulls kept
/// (a null with a reason is information).</summary>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static void Write(TextWriter writer, object value)
    {
        writer.Write(JsonSerializer.Serialize(value, Options));
        writer.Write('\n');
    }
}
