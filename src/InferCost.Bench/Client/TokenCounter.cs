using Microsoft.ML.Tokenizers;

namespace InferCost.Bench.Client;

/// <summary>Counts tokens with the o200k_base encoding (GPT-4o and later; Microsoft.ML.Tokenizers with its shipped
/// data package), for endpoints that return no usage. Loaded on first use. Thread-safe.</summary>
public static class TokenCounter
{
    public const string Name = "o200k_base";

    private static readonly Lazy<Tokenizer> Tokenizer = new(() => TiktokenTokenizer.CreateForModel("gpt-4o"));

    public static int Count(string text) => text.Length == 0 ? 0 : Tokenizer.Value.CountTokens(text);
}
