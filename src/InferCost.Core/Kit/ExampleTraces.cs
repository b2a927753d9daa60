namespace InferCost.Core.Kit;

/// <summary>The demo's richer example (see Examples/generate_example_traces.py for what it holds and why).</summary>
public static class ExampleTraces
{
    public static string Csv()
    {
        var assembly = typeof(ExampleTraces).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("example-traces.csv", StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        return reader.ReadToEnd();
    }
}
