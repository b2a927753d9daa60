using InferCost.Core.Fit;

namespace InferCost.Core.Tests.Fit;

/// <summary>Loads the real config.json files under tests/fixtures/fit.</summary>
internal static class FitFixtures
{
    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "fixtures", "fit", file);

    public static ModelArchitecture Config(string file)
    {
        using var stream = File.OpenRead(PathOf(file));
        var result = ModelFileReader.Read(stream, file, expectGguf: false);
        Assert.True(result.Succeeded, string.Join(" ", result.Diagnostics));
        return result.Value!;
    }

    public static GpuSpec Gpu(string name) => GpuCatalog.BuiltIn.Find(name).Match ?? throw new InvalidOperationException(name);
}
