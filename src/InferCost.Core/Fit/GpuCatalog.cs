using System.Globalization;
using System.Text.Json;

namespace InferCost.Core.Fit;

/// <summary>The GPU catalog (<c>catalog/gpus.json</c>, schema <c>infercost.gpus/v1</c>). Immutable and thread-safe.</summary>
public sealed class GpuCatalog
{
    public const string Schema = "infercost.gpus/v1";

    private static readonly Lazy<GpuCatalog> BuiltInCatalog = new(() =>
    {
        using var stream = CatalogResources.Open("gpus.json");
        var result = Read(stream, "catalog/gpus.json");
        return result.Value ?? throw new InvalidDataException(string.Join(" ", result.Diagnostics));
    });

    private GpuCatalog(string version, IReadOnlyList<GpuSpec> gpus)
    {
        Version = version;
        Gpus = gpus;
    }

    /// <summary>The catalog shipped inside InferCost.Core.</summary>
    public static GpuCatalog BuiltIn => BuiltInCatalog.Value;

    public string Version { get; }

    public IReadOnlyList<GpuSpec> Gpus { get; }

    /// <summary>Finds a GPU by name or alias, ignoring case, spaces and punctuation.</summary>
    public NameMatch<GpuSpec> Find(string name) =>
        NameMatcher.Find(name, Gpus, g => [g.Name, .. g.Aliases], g => g.Name);

    /// <summary>Reads a GPU catalog file.</summary>
    public static FitReadResult<GpuCatalog> Read(Stream stream, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(stream);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("schema", out var schema) || schema.GetString() != Schema)
            {
                return FitReadResult<GpuCatalog>.Failed(FitDiagnostic.Error(source, "schema", null, $"must be \"{Schema}\""));
            }
            var version = root.TryGetProperty("version", out var v) ? v.GetString() ?? string.Empty : string.Empty;
            var gpus = new List<GpuSpec>();
            foreach (var entry in root.GetProperty("gpus").EnumerateArray())
            {
                gpus.Add(new GpuSpec
                {
                    Name = entry.GetProperty("name").GetString()!,
                    Aliases = entry.TryGetProperty("aliases", out var a) ? a.EnumerateArray().Select(x => x.GetString()!).ToArray() : [],
                    Vendor = entry.GetProperty("vendor").GetString()!,
                    MemoryGiB = entry.GetProperty("memoryGiB").GetDecimal(),
                    MemoryType = entry.TryGetProperty("memoryType", out var t) ? t.GetString() : null,
                    MemoryBandwidthBytesPerSecond = (double)(entry.GetProperty("memoryBandwidthTBps").GetDecimal() * 1e12m),
                    DenseBf16Tflops = OptionalDouble(entry, "denseBf16Tflops"),
                    DenseFp8Tflops = OptionalDouble(entry, "denseFp8Tflops"),
                    BoardPowerW = entry.TryGetProperty("boardPowerW", out var w) && w.ValueKind == JsonValueKind.Number ? w.GetInt32() : null,
                    Source = entry.GetProperty("source").GetString()!,
                    EffectiveDate = DateOnly.ParseExact(entry.GetProperty("effectiveDate").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                });
            }
            return new FitReadResult<GpuCatalog>(new GpuCatalog(version, gpus), []);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return FitReadResult<GpuCatalog>.Failed(FitDiagnostic.Error(source, null, null, $"is not a valid GPU catalog: {ex.Message}"));
        }
    }

    private static double? OptionalDouble(JsonElement entry, string key) =>
        entry.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
