using System.Text.Json;
using InferCost.Core.Procurement;

namespace InferCost.Reports;

/// <summary>hardware-procurement-matrix.json under <c>"schema": "infercost.procurement/v1"</c>, with the report's
/// serializer options.</summary>
public static class ProcurementJson
{
    public static void Write(TextWriter writer, ProcurementMatrix matrix)
    {
        writer.Write(JsonSerializer.Serialize(matrix, ReportJson.Options));
        writer.Write('\n');
    }
}
