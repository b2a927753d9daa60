using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InferCost.Studio.Endpoints;

/// <summary><c>GET /assets/{name}</c>: the stylesheet and script, embedded in the assembly. No CDN, nothing fetched.</summary>
public static class AssetEndpoints
{
    private static readonly Dictionary<string, (byte[] Content, string ContentType)> Assets = Load();

    public static IEndpointRouteBuilder MapAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/{name}", Get).ExcludeFromDescription();
        return app;
    }

    internal static Results<FileContentHttpResult, NotFound> Get(string name) =>
        Assets.TryGetValue(name, out var asset) ? TypedResults.File(asset.Content, asset.ContentType) : TypedResults.NotFound();

    private static Dictionary<string, (byte[], string)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("studio/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var name = resource["studio/".Length..];
            var type = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                _ => "application/octet-stream",
            };
            assets[name] = (memory.ToArray(), type);
        }
        return assets;
    }
}
