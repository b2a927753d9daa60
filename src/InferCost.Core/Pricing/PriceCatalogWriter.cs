using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace InferCost.Core.Pricing;

/// <summary>Writes token prices as a price catalog file (schema <c>infercost.prices/v1</c>) that
/// <see cref="PriceCatalogReader"/> reads back. Prices are written as JSON numbers with their exact decimal digits.</summary>
public static class PriceCatalogWriter
{
    public static void Write(TextWriter writer, string version, IEnumerable<string> notes, IEnumerable<TokenPrice> prices)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("schema", PriceCatalog.Schema);
            json.WriteString("version", version);
            json.WriteStartArray("notes");
            foreach (var note in notes)
            {
                json.WriteStringValue(note);
            }
            json.WriteEndArray();
            json.WriteStartArray("tokenPrices");
            foreach (var p in prices)
            {
                json.WriteStartObject();
                json.WriteString("provider", p.Provider);
                json.WriteString("model", p.Model);
                if (p.Aliases.Count > 0)
                {
                    json.WriteStartArray("aliases");
                    foreach (var alias in p.Aliases)
                    {
                        json.WriteStringValue(alias);
                    }
                    json.WriteEndArray();
                }
                Number(json, "inputUsdPerMTok", p.InputUsdPerMTok);
                Number(json, "cachedInputUsdPerMTok", p.CachedInputUsdPerMTok);
                Number(json, "cacheWriteUsdPerMTok", p.CacheWriteUsdPerMTok);
                Number(json, "outputUsdPerMTok", p.OutputUsdPerMTok);
                Number(json, "batchInputUsdPerMTok", p.BatchInputUsdPerMTok);
                Number(json, "batchOutputUsdPerMTok", p.BatchOutputUsdPerMTok);
                json.WriteString("effectiveDate", p.Provenance.EffectiveDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                json.WriteString("source", p.Provenance.Source);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        writer.Write(System.Text.Encoding.UTF8.GetString(buffer.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal));
        writer.Write('\n');
    }

    private static void Number(Utf8JsonWriter json, string name, decimal? value)
    {
        if (value is { } v)
        {
            json.WritePropertyName(name);
            json.WriteRawValue(LiteLlmImporter.Normalize(v).ToString(CultureInfo.InvariantCulture));
        }
    }
}
