using System.Text.Json;
using InferCost.Core.Contract;
using InferCost.Core.Diagnostics;
using InferCost.Core.Pricing;

namespace InferCost.Core.Importers;

/// <summary>The fields one mapping entry gives: a model's entry, or the mapping's defaults. Routes are canonical.</summary>
/// <param name="Model">The model name as the mapping file spells it; null for the defaults.</param>
public sealed record FillMappingEntry(string? Model, string? Route, string? Workload, string? Provider)
{
    /// <summary>The value this entry gives for <paramref name="field"/> (one of <see cref="FillMapping.Keys"/>), or null.</summary>
    public string? Get(string field) => field switch
    {
        "route" => Route,
        "workload" => Workload,
        "provider" => Provider,
        _ => null,
    };
}

/// <summary>What parsing a mapping file found: the mapping, or null with at least one error.</summary>
public sealed record FillMappingReadResult(FillMapping? Mapping, IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>
/// A mapping file (<c>--mapping</c>): the route, workload and provider of the models in a log that does not carry
/// them, plus defaults for any model, so a LiteLLM log of three models imports in one command. Its shape:
/// <code>{"defaults": {"route": "self-hosted", "workload": "support"},
///  "models": {"gpt-4o-mini": {"route": "managed", "provider": "openai"}}}</code>
/// A model's entry is found by its whole name, ignoring case (providers spell one model both ways; two entries that
/// differ only in case are an error, so the match is never ambiguous). Acceptance is not a mapping field: it is a
/// judgement of each output, attached by <c>infercost accept</c>; concurrency describes a run, not a model, so it
/// stays a flag. Immutable and thread-safe once parsed.
/// </summary>
public sealed class FillMapping
{
    /// <summary>The optional <c>"schema"</c> value; a file may omit it.</summary>
    public const string Schema = "infercost.mapping/v1";

    /// <summary>The fields an entry (or the defaults) may give.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["route", "workload", "provider"];

    private static readonly string[] RootKeys = ["schema", "defaults", "models"];
    private static readonly FillMappingEntry NoDefaults = new(null, null, null, null);

    private readonly Dictionary<string, FillMappingEntry> _models;

    private FillMapping(string name, FillMappingEntry defaults, Dictionary<string, FillMappingEntry> models)
    {
        Name = name;
        Defaults = defaults;
        _models = models;
    }

    /// <summary>The file as the user named it, quoted in every "filled" line and message.</summary>
    public string Name { get; }

    /// <summary>Values for any model without an entry of its own (or whose entry lacks the field).</summary>
    public FillMappingEntry Defaults { get; }

    /// <summary>The model entries, keyed case-insensitively.</summary>
    public IReadOnlyDictionary<string, FillMappingEntry> Models => _models;

    /// <summary>The entry for <paramref name="model"/> (whole name, any case), or null.</summary>
    public FillMappingEntry? For(string? model) => model is not null && _models.TryGetValue(model, out var entry) ? entry : null;

    /// <summary>Parses a mapping file's bytes. Every problem is a <see cref="Diagnostic"/> with line, column, the JSON
    /// path (e.g. <c>models.llama-3.1-70b.route</c>), the value and the reason; parsing never throws on bad content.</summary>
    /// <param name="name">The file as the user named it.</param>
    public static FillMappingReadResult Parse(ReadOnlySpan<byte> utf8, string name)
    {
        var diagnostics = new List<Diagnostic>();
        // A BOM (Windows editors write one) is not JSON; without it, lines and columns are as the user's editor shows them.
        var bytes = (utf8.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8).ToArray();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            var column = (int)(ex.BytePositionInLine ?? 0) + 1;
            var reason = bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                ? "is empty: a mapping file is a JSON object with \"defaults\" and/or \"models\""
                : "is not valid JSON: " + ex.Message.Split(" LineNumber:")[0].TrimEnd('.', ' ');
            diagnostics.Add(Diagnostic.Error((ex.LineNumber ?? 0) + 1, column, null, null, reason));
            return new FillMappingReadResult(null, diagnostics);
        }
        using (document)
        {
            var reader = new Reader(new JsonLocator(bytes), diagnostics);
            var mapping = reader.Root(document.RootElement, name);
            return new FillMappingReadResult(diagnostics.Count == 0 ? mapping : null, diagnostics);
        }
    }

    /// <summary>Walks the parsed document, recording each problem where it is.</summary>
    private sealed class Reader(JsonLocator locator, List<Diagnostic> diagnostics)
    {
        private const string EntryKeysInWords = "route, workload or provider";

        private void Error(string path, string? value, string message)
        {
            var (line, column) = locator.Find(path);
            diagnostics.Add(Diagnostic.Error(line, column, path.Length == 0 ? null : path, value, message));
        }

        public FillMapping? Root(JsonElement root, string name)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                Error("", Shown(root), "must be a JSON object with \"defaults\" and/or \"models\"");
                return null;
            }
            var defaults = NoDefaults;
            var models = new Dictionary<string, FillMappingEntry>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in Distinct(root, ""))
            {
                switch (property.Name)
                {
                    case "schema":
                        if (property.Value.ValueKind != JsonValueKind.String || property.Value.GetString() != Schema)
                        {
                            Error("schema", Shown(property.Value), $"must be \"{Schema}\" (or be left out)");
                        }
                        break;
                    case "defaults":
                        defaults = Entry(property.Value, "defaults", null) ?? NoDefaults;
                        break;
                    case "models":
                        Models(property.Value, models);
                        break;
                    default:
                        Error(property.Name, null, $"is not a mapping key; use {string.Join(", ", RootKeys)}");
                        break;
                }
            }
            return new FillMapping(name, defaults, models);
        }

        private void Models(JsonElement value, Dictionary<string, FillMappingEntry> models)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                Error("models", Shown(value), "must be an object keyed by model name, e.g. {\"gpt-4o-mini\": {\"route\": \"managed\"}}");
                return;
            }
            foreach (var property in Distinct(value, "models"))
            {
                var path = "models." + property.Name;
                if (string.IsNullOrWhiteSpace(property.Name))
                {
                    Error(path, property.Name, "is not a model name: a model entry needs the model's name as its key");
                    continue;
                }
                if (models.TryGetValue(property.Name, out var earlier))
                {
                    Error(path, property.Name, $"names the same model as \"{earlier.Model}\" (model names match ignoring case); give each model once");
                    continue;
                }
                if (Entry(property.Value, path, property.Name) is { } entry)
                {
                    models[property.Name] = entry;
                }
            }
        }

        private FillMappingEntry? Entry(JsonElement value, string path, string? model)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                Error(path, Shown(value), $"must be an object giving {EntryKeysInWords}");
                return null;
            }
            var before = diagnostics.Count;
            string? route = null, workload = null, provider = null;
            foreach (var property in Distinct(value, path))
            {
                var at = $"{path}.{property.Name}";
                if (!Keys.Contains(property.Name, StringComparer.Ordinal))
                {
                    Error(at, null, UnknownKey(property.Name));
                    continue;
                }
                if (property.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(property.Value.GetString()))
                {
                    Error(at, Shown(property.Value), "must be a non-empty string");
                    continue;
                }
                var text = property.Value.GetString()!.Trim();
                switch (property.Name)
                {
                    case "route" when Routes.TryNormalize(text, out var canonical):
                        route = canonical;
                        break;
                    case "route":
                        Error(at, text, "is not a known route; use one of: " + string.Join(", ", Routes.All) + " (or an alias such as managed, serverless, dedicated, self-hosted, owned)");
                        break;
                    case "workload":
                        workload = text;
                        break;
                    default:
                        provider = text;
                        break;
                }
            }
            return diagnostics.Count == before ? new FillMappingEntry(model, route, workload, provider) : null;
        }

        /// <summary>The object's properties, reporting a key given twice (JSON allows it; which one wins would be a guess).</summary>
        private IEnumerable<JsonProperty> Distinct(JsonElement element, string path)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                if (seen.Add(property.Name))
                {
                    yield return property;
                }
                else
                {
                    Error(path.Length == 0 ? property.Name : $"{path}.{property.Name}", null, "is given twice; give each key once");
                }
            }
        }

        /// <summary>Why a key is not allowed in an entry, pointing to where such a value does belong.</summary>
        private static string UnknownKey(string key) => key switch
        {
            "accepted" or "acceptance" or "acceptedOutputRate" or "reviewMinutes" =>
                $"is not a mapping key: acceptance is judged per output and attached with infercost accept; an entry may give {EntryKeysInWords}",
            "concurrency" => $"is not a mapping key: concurrency describes a run, not a model, so give --concurrency; an entry may give {EntryKeysInWords}",
            "model" => $"is not a mapping key: the entry's key is the model name (give --model for a log that has none); an entry may give {EntryKeysInWords}",
            _ => $"is not a mapping key; an entry may give {EntryKeysInWords}",
        };

        private static string Shown(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
    }
}
