namespace InferCost.Core.Sizing;

/// <summary>Where a replica's GPU count came from, in precedence order.</summary>
public enum GpuCountOrigin
{
    /// <summary>A command-line flag (<c>simulate --gpu-count</c>).</summary>
    Flag,
    /// <summary>The measured rows' gpuCount.</summary>
    Row,
    /// <summary>The buyer profile's capacity.gpuCount, when the plan describes these rows.</summary>
    Profile,
    /// <summary><c>fit</c>: the fewest GPUs that hold the model, the context and the batch.</summary>
    Fit,
    /// <summary>Nothing said it and fit could not size it: one GPU, with why.</summary>
    Default,
}

/// <summary>The model, precision, GPU, context and batch <c>fit</c> was given, each with where it came from.</summary>
public sealed record ReplicaFitInputs
{
    public required string Model { get; init; }
    public required string ModelSource { get; init; }
    public required string Weights { get; init; }
    public required string WeightsSource { get; init; }
    public required string Gpu { get; init; }
    public required string GpuSource { get; init; }
    public required long ContextTokens { get; init; }
    public required string ContextSource { get; init; }
    public required int Batch { get; init; }
    public required string BatchSource { get; init; }

    /// <summary>The equivalent command, so a reader can check the figure: <c>infercost fit --model … --batch …</c>.</summary>
    public string Command => FormattableString.Invariant($"infercost fit --model {Model} --gpu \"{Gpu}\" --context {ContextTokens} --batch {Batch} --weights {Weights}");

    public string Describe() => FormattableString.Invariant(
        $"{Model} ({ModelSource}), {Weights} weights ({WeightsSource}), {Gpu} ({GpuSource}), {ContextTokens:#,0}-token sessions ({ContextSource}), batch {Batch} ({BatchSource})");
}

/// <summary>One replica of a capacity route: its GPUs and the concurrent sessions they hold, each figure with where it
/// came from. The single answer curve, simulate, procure, report and Studio use. Immutable.</summary>
public sealed record ReplicaShape
{
    public required int GpusPerReplica { get; init; }
    public required GpuCountOrigin Origin { get; init; }
    /// <summary>Why this count: the row, the profile, fit with its inputs, or the default and why fit could not size it.</summary>
    public required string GpuCountSource { get; init; }
    /// <summary>Sessions of the fit context that fit in one replica's memory at <see cref="GpusPerReplica"/>; null when
    /// fit cannot say (unknown model or GPU, or the weights alone do not fit the count the rows give).</summary>
    public int? MaxSessionsPerReplica { get; init; }
    public string? MaxSessionsSource { get; init; }
    /// <summary>The fewest GPUs fit says hold the batch at the context; null when fit cannot say.</summary>
    public int? FitMinGpus { get; init; }
    public ReplicaFitInputs? FitInputs { get; init; }

    /// <summary>One line for the assumptions: "2 GPU(s) per replica (…); at most 71 concurrent sessions per replica (…)".</summary>
    public string Assumption => FormattableString.Invariant($"{GpusPerReplica} GPU(s) per replica ({GpuCountSource})")
        + (MaxSessionsPerReplica is { } m ? FormattableString.Invariant($"; at most {m} concurrent session(s) per replica ({MaxSessionsSource})")
            : MaxSessionsSource is { } why ? $"; sessions per replica not capped ({why})" : "");

    /// <summary>The concurrency one replica can serve: <paramref name="wanted"/> capped by fit's sessions per replica.</summary>
    public int CapConcurrency(int wanted) => MaxSessionsPerReplica is { } m && m < wanted ? Math.Max(1, m) : wanted;
}
