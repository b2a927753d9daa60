using System.Text.RegularExpressions;

namespace InferCost.Bench.Evaluation;

/// <summary><c>exact[:TEXT]</c>: the output, trimmed, equals TEXT (or the dataset's expected answer), ordinal.</summary>
public sealed class ExactEvaluator(string? text) : IOutputEvaluator
{
    public string Spec => text is null ? "exact" : "exact:" + text;

    public ValueTask<bool> AcceptsAsync(string output, string? expected, CancellationToken cancellationToken) =>
        ValueTask.FromResult((text ?? expected) is { } want && string.Equals(output.Trim(), want.Trim(), StringComparison.Ordinal));
}

/// <summary><c>contains[:TEXT]</c>: the output contains TEXT (or the dataset's expected answer), ordinal.</summary>
public sealed class ContainsEvaluator(string? text) : IOutputEvaluator
{
    public string Spec => text is null ? "contains" : "contains:" + text;

    public ValueTask<bool> AcceptsAsync(string output, string? expected, CancellationToken cancellationToken) =>
        ValueTask.FromResult((text ?? expected) is { } want && output.Contains(want, StringComparison.Ordinal));
}

/// <summary><c>regex:PATTERN</c>: the pattern (.NET syntax, culture-invariant) matches somewhere in the output;
/// anchor it with ^ and $ to match the whole output. A match that runs past one second counts as a rejection.</summary>
public sealed class RegexEvaluator : IOutputEvaluator
{
    private readonly Regex _regex;

    public RegexEvaluator(string pattern)
    {
        Spec = "regex:" + pattern;
        _regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    public string Spec { get; }

    public ValueTask<bool> AcceptsAsync(string output, string? expected, CancellationToken cancellationToken)
    {
        try
        {
            return ValueTask.FromResult(_regex.IsMatch(output));
        }
        catch (RegexMatchTimeoutException)
        {
            return ValueTask.FromResult(false);
        }
    }
}
