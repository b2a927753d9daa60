using System.Text.Json;

namespace InferCost.Core.Fit;

/// <summary>One model of the built-in catalog: its architecture read from the embedded copy of its config.json.</summary>
public sealed record ModelCatalogEntry(string Name, IReadOnlyList<string> Aliases, string Source, ModelArchitecture Architecture);

/// <summary>The built-in model catalog (<c>catalog/models.json</c>, schema <c>infercost.models/v1</c>). Immutable and
/// thread-safe.</summary>
public sealed class ModelCatalog
{
    public const string Schema = "infercost.models/v1";

    private static readonly Lazy<ModelCatalog> BuiltInCatalog = new(Load);

    private ModelCatalog(string version, IReadOnlyList<ModelCatalogEntry> models)
    {
        Version = version;
        Models = models;
    }

    public static ModelCatalog BuiltIn => BuiltInCatalog.Value;

    public string Version { get; }

    public IReadOnlyList<ModelCatalogEntry> Models { get; }

    /// <summary>Finds a model by name, alias or Hugging Face id, ignoring case, spaces and punctuation.</summary>
    public NameMatch<ModelCatalogEntry> Find(string name) =>
        NameMatcher.Find(name, Models, m => [m.Name, .. m.Aliases], m => m.Name);

    private static ModelCatalog Load()
    {
        using var stream = CatalogResources.Open("models.json");
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        if (root.GetProperty("schema").GetString() != Schema)
        {
            throw new InvalidDataException($"catalog/models.json: schema must be \"{Schema}\".");
        }
        var models = new List<ModelCatalogEntry>();
        foreach (var entry in root.GetProperty("models").EnumerateArray())
        {
            var name = entry.GetProperty("name").GetString()!;
            var source = entry.GetProperty("source").GetString()!;
            var read = HuggingFaceConfigReader.Read(entry.GetProperty("config"), source, name);
            if (!read.Succeeded)
            {
                throw new InvalidDataException($"catalog/models.json entry '{name}': {string.Join(" ", read.Diagnostics)}");
            }
            var aliases = entry.TryGetProperty("aliases", out var a) ? a.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];
            models.Add(new ModelCatalogEntry(name, aliases, source, read.Value!));
        }
        return new ModelCatalog(root.GetProperty("version").GetString() ?? string.Empty, models);
    }
}
