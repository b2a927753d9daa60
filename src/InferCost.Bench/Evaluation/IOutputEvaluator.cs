namespace InferCost.Bench.Evaluation;

/// <summary>Judges one output: accepted or not. <c>expected</c> is the dataset's expected answer for the prompt,
/// when it has one. Implementations are thread-safe.</summary>
public interface IOutputEvaluator
{
    /// <summary>The spec as given (<c>contains:Paris</c>), for summary.json.</summary>
    string Spec { get; }

    ValueTask<bool> AcceptsAsync(string output, string? expected, CancellationToken cancellationToken);
}
