using System.Text.Json.Nodes;
using InferCost.Core.Contract;

namespace InferCost.Core.Kit;

/// <summary>JSON Schema (draft 2020-12) of one contract row. Numbers may also be given as numeric strings,
/// as the seed's template rows are; the patterns accept invariant-culture numbers only.</summary>
public static class TraceSchema
{
    public const string Id = "https://infercost.dev/schemas/trace-row/v1.json";
    private const string NumberPattern = @"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$";
    private const string WholePattern = @"^\s*\+?\d+(\.0*)?\s*$";

    public static JsonObject Build()
    {
        var properties = new JsonObject();
        foreach (var field in TraceContract.Fields)
        {
            properties[field.Name] = Property(field);
        }
        return new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = Id,
            ["title"] = "InferCost Trace Kit v1 row",
            ["description"] = "One measurement of one route/model/workload at one concurrency. Token counts, cost and review minutes are per output (averages over the run). Also checked by infercost, beyond this schema: ttftMs <= latencyP50Ms <= latencyP95Ms <= latencyP99Ms; cachedInputTokens <= inputTokens; reasoningTokens <= outputTokens.",
            ["type"] = "object",
            ["required"] = new JsonArray(TraceContract.SeedFields.Select(f => (JsonNode)f.Name).ToArray()),
            ["properties"] = properties,
            // Unknown fields are allowed by the schema; infercost warns about them and never uses them.
            ["additionalProperties"] = true,
        };
    }

    private static JsonObject Property(FieldSpec field)
    {
        var property = field.Kind switch
        {
            FieldKind.Text => new JsonObject { ["type"] = "string", ["minLength"] = field.IsRequired ? 1 : 0 },
            FieldKind.Route => new JsonObject
            {
                ["type"] = "string",
                ["enum"] = new JsonArray(Routes.All.Select(r => (JsonNode)r).ToArray()),
                ["$comment"] = "infercost also accepts case-insensitive aliases: managed, serverless, dedicated, self-hosted, owned.",
            },
            FieldKind.Integer => NumberOrString("integer", field.MinimumInteger, null, WholePattern),
            FieldKind.Rate => NumberOrString("number", 0, 1, NumberPattern),
            FieldKind.NonNegative => NumberOrString("number", 0, null, NumberPattern),
            FieldKind.Boolean => new JsonObject
            {
                ["anyOf"] = new JsonArray(
                    new JsonObject { ["type"] = "boolean" },
                    new JsonObject { ["type"] = "string", ["pattern"] = "^(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[Yy][Ee][Ss]|[Nn][Oo]|1|0)$" },
                    new JsonObject { ["enum"] = new JsonArray(0, 1) }),
            },
            _ => new JsonObject { ["type"] = "string", ["format"] = "date-time" },
        };
        if (field.Name == "costUsd")
        {
            // Empty or null costUsd means "model it from the price catalog".
            property = new JsonObject
            {
                ["anyOf"] = new JsonArray(property, new JsonObject { ["type"] = "null" }, new JsonObject { ["const"] = "" }),
            };
        }
        property["description"] = field.Description + (field.Unit.Length > 0 ? $" Unit: {field.Unit}." : string.Empty);
        return property;
    }

    private static JsonObject NumberOrString(string type, double minimum, double? maximum, string pattern)
    {
        var number = new JsonObject { ["type"] = type, ["minimum"] = minimum };
        if (maximum is { } max)
        {
            number["maximum"] = max;
        }
        return new JsonObject
        {
            ["anyOf"] = new JsonArray(number, new JsonObject { ["type"] = "string", ["pattern"] = pattern }),
        };
    }
}
