using System.Reflection;

namespace InferCost.Core.Fit;

/// <summary>Opens the catalog JSON files embedded in InferCost.Core (from /catalog).</summary>
internal static class CatalogResources
{
    public static Stream Open(string fileName)
    {
        var assembly = typeof(CatalogResources).Assembly;
        var resource = assembly.GetManifestResourceNames()
            .FirstOrDefault(n => n.EndsWith(".Catalog." + fileName, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The embedded catalog '{fileName}' is missing from {assembly.GetName().Name}.");
        return assembly.GetManifestResourceStream(resource)!;
    }
}
