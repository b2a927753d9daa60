namespace InferCost.Bench.Client;

/// <summary>One prompt to send: the chat messages as a JSON array, their text (for the tokenizer fallback), the
/// expected answer when the dataset gives one, and a per-prompt max_tokens. Immutable.</summary>
public sealed record BenchPrompt(string Id, string MessagesJson, string PromptText, string? Expected, int? MaxTokens);

/// <summary>Where prompts come from. Thread-safe: the bench asks from many workers at once.</summary>
public interface IPromptSource
{
    /// <summary>The prompt for the request with this index (0-based, counted over the whole run).</summary>
    BenchPrompt Get(long index);

    /// <summary>A short description for summary.json.</summary>
    string Description { get; }
}
