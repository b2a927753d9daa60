using System.Globalization;

namespace InferCost.Bench.Client;

/// <summary>Whether an endpoint's usage block can be believed. What it rejects is what <c>infercost import</c>
/// rejects in an event (a negative count, cached tokens beyond the input, reasoning tokens beyond the output) and
/// what no real request produces (a count above <see cref="MaxTokens"/>, or one that is no whole number), so bench
/// never writes an event its own import refuses. An attempt whose usage fails is an error of that attempt
/// (<see cref="ErrorClass.ImplausibleUsage"/>), its tokens counted from the text instead. Pure.</summary>
internal static class UsageCheck
{
    /// <summary>More tokens than any model reads or writes in one request.</summary>
    public const long MaxTokens = 1_000_000_000;

    public static string? Problem(in ChunkFields f)
    {
        if (f.UsageUnreadable)
        {
            return "a usage count is not a whole number";
        }
        var problem = Bad(f.PromptTokens, "prompt_tokens") ?? Bad(f.CompletionTokens, "completion_tokens")
            ?? Bad(f.CachedTokens, "cached_tokens") ?? Bad(f.ReasoningTokens, "reasoning_tokens");
        if (problem is not null)
        {
            return problem;
        }
        if (f.CachedTokens is { } cached && f.PromptTokens is { } prompt && cached > prompt)
        {
            return $"cached_tokens ({N(cached)}) exceed prompt_tokens ({N(prompt)})";
        }
        if (f.ReasoningTokens is { } reasoning && f.CompletionTokens is { } completion && reasoning > completion)
        {
            return $"reasoning_tokens ({N(reasoning)}) exceed completion_tokens ({N(completion)})";
        }
        return null;
    }

    private static string? Bad(long? value, string name) => value switch
    {
        < 0 => $"{name} is negative ({N(value.Value)})",
        > MaxTokens => $"{name} ({N(value.Value)}) is above {N(MaxTokens)}",
        _ => null,
    };

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
