using System.Text.Json;

namespace InferCost.Bench.Evaluation;

/// <summary>A small JSON Schema validator for structured-output acceptance. Supported keywords: <c>type</c> (a name
/// or a list of names: object, array, string, number, integer, boolean, null), <c>properties</c>, <c>required</c>,
/// <c>additionalProperties</c> (true/false or a schema), <c>enum</c>, <c>const</c>, <c>items</c> (one schema for every
/// item); annotations (<c>$schema</c>, <c>$id</c>, <c>title</c>, <c>description</c>, <c>examples</c>,
/// <c>default</c>) are ignored. Any other keyword is refused when the schema is loaded, so a check is never silently
/// skipped. Immutable; thread-safe.</summary>
public sealed class JsonSchemaSubset
{
    private static readonly HashSet<string> Supported =
        ["type", "properties", "required", "additionalProperties", "enum", "const", "items"];

    private static readonly HashSet<string> Annotations =
        ["$schema", "$id", "title", "description", "examples", "default", "$comment"];

    private static readonly HashSet<string> TypeNames =
        ["object", "array", "string", "number", "integer", "boolean", "null"];

    private readonly JsonElement _schema;

    private JsonSchemaSubset(JsonElement schema) => _schema = schema;

    /// <summary>Loads a schema; returns null with the reason (and the JSON path) when it uses anything outside the subset.</summary>
    public static JsonSchemaSubset? Load(string json, out string? problem)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            problem = $"is not valid JSON ({ex.Message.Split('.')[0]})";
            return null;
        }
        problem = Check(root, "$");
        return problem is null ? new JsonSchemaSubset(root) : null;
    }

    private static string? Check(JsonElement schema, string path)
    {
        if (schema.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return null;
        }
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return $"{path} must be a schema object";
        }
        foreach (var keyword in schema.EnumerateObject())
        {
            if (Annotations.Contains(keyword.Name))
            {
                continue;
            }
            if (!Supported.Contains(keyword.Name))
            {
                return $"{path} uses '{keyword.Name}', which this validator does not support (supported: {string.Join(", ", Supported)})";
            }
            var value = keyword.Value;
            string? inner = keyword.Name switch
            {
                "type" => value.ValueKind == JsonValueKind.String
                    ? (TypeNames.Contains(value.GetString()!) ? null : $"{path}.type '{value.GetString()}' is not a JSON type")
                    : value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String && TypeNames.Contains(t.GetString()!))
                        ? null
                        : $"{path}.type must be a type name or a list of them",
                "properties" => value.ValueKind != JsonValueKind.Object
                    ? $"{path}.properties must be an object"
                    : value.EnumerateObject().Select(p => Check(p.Value, $"{path}.properties.{p.Name}")).FirstOrDefault(p => p is not null),
                "required" => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(r => r.ValueKind == JsonValueKind.String)
                    ? null
                    : $"{path}.required must be a list of property names",
                "additionalProperties" => Check(value, $"{path}.additionalProperties"),
                "enum" => value.ValueKind == JsonValueKind.Array ? null : $"{path}.enum must be a list",
                "items" => Check(value, $"{path}.items"),
                _ => null,
            };
            if (inner is not null)
            {
                return inner;
            }
        }
        return null;
    }

    /// <summary>True when <paramref name="instance"/> satisfies the schema.</summary>
    public bool IsValid(JsonElement instance) => Validate(_schema, instance);

    private static bool Validate(JsonElement schema, JsonElement instance)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return true;
        }
        if (schema.ValueKind == JsonValueKind.False)
        {
            return false;
        }
        if (schema.TryGetProperty("type", out var type) && !MatchesType(type, instance))
        {
            return false;
        }
        if (schema.TryGetProperty("enum", out var options) && !options.EnumerateArray().Any(o => JsonElement.DeepEquals(o, instance)))
        {
            return false;
        }
        if (schema.TryGetProperty("const", out var constant) && !JsonElement.DeepEquals(constant, instance))
        {
            return false;
        }
        if (instance.ValueKind == JsonValueKind.Object)
        {
            if (schema.TryGetProperty("required", out var required)
                && required.EnumerateArray().Any(r => !instance.TryGetProperty(r.GetString()!, out _)))
            {
                return false;
            }
            schema.TryGetProperty("properties", out var properties);
            var hasProperties = properties.ValueKind == JsonValueKind.Object;
            var hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
            foreach (var property in instance.EnumerateObject())
            {
                if (hasProperties && properties.TryGetProperty(property.Name, out var propertySchema))
                {
                    if (!Validate(propertySchema, property.Value))
                    {
                        return false;
                    }
                }
                else if (hasAdditional && !Validate(additional, property.Value))
                {
                    return false;
                }
            }
        }
        if (instance.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items)
            && instance.EnumerateArray().Any(item => !Validate(items, item)))
        {
            return false;
        }
        return true;
    }

    private static bool MatchesType(JsonElement type, JsonElement instance)
    {
        if (type.ValueKind == JsonValueKind.Array)
        {
            return type.EnumerateArray().Any(t => MatchesType(t, instance));
        }
        return type.GetString() switch
        {
            "object" => instance.ValueKind == JsonValueKind.Object,
            "array" => instance.ValueKind == JsonValueKind.Array,
            "string" => instance.ValueKind == JsonValueKind.String,
            "number" => instance.ValueKind == JsonValueKind.Number,
            // JSON Schema: an integer is a number with no fractional part (1.0 counts).
            "integer" => instance.ValueKind == JsonValueKind.Number && instance.TryGetDecimal(out var d) && decimal.Truncate(d) == d,
            "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "null" => instance.ValueKind == JsonValueKind.Null,
            _ => false,
        };
    }
}

/// <summary><c>json-schema:FILE</c>: the output parses as JSON (a whole-output Markdown code fence is removed
/// first) and satisfies the schema in FILE (the subset <see cref="JsonSchemaSubset"/> supports).</summary>
public sealed class JsonSchemaEvaluator(string file, JsonSchemaSubset schema) : IOutputEvaluator
{
    public string Spec => "json-schema:" + file;

    public ValueTask<bool> AcceptsAsync(string output, string? expected, CancellationToken cancellationToken)
    {
        var text = StripFence(output.Trim());
        try
        {
            using var document = JsonDocument.Parse(text);
            return ValueTask.FromResult(schema.IsValid(document.RootElement));
        }
        catch (JsonException)
        {
            return ValueTask.FromResult(false);
        }
    }

    private static string StripFence(string text)
    {
        if (!text.StartsWith("```", StringComparison.Ordinal) || !text.EndsWith("```", StringComparison.Ordinal) || text.Length < 6)
        {
            return text;
        }
        var firstNewline = text.IndexOf('\n');
        return firstNewline < 0 ? text : text[(firstNewline + 1)..^3];
    }
}
