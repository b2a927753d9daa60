namespace InferCost.Core.Formatting;

/// <summary>"a" or "an" before a name in a sentence ("an OpenAI Batch output file", "a GuideLLM benchmarks.json").
/// By the first letter: the names that reach it (tool and provider formats) are read as spelled.</summary>
public static class Article
{
    public static string For(string noun) =>
        noun.Length > 0 && "AEIOUaeiou".Contains(noun[0]) ? "an " + noun : "a " + noun;
}
