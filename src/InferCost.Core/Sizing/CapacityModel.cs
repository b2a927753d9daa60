using InferCost.Core.Fit;
using InferCost.Core.Procurement;
using static System.FormattableString;

namespace InferCost.Core.Sizing;

/// <summary>What is known about one measured replica: the rows' hardware and shape, a flag, and the buyer's plan.</summary>
public sealed record ReplicaShapeRequest
{
    /// <summary>The route the rows were measured on (canonical name).</summary>
    public required string Route { get; init; }
    /// <summary>The model as the rows name it.</summary>
    public string? TraceModel { get; init; }
    /// <summary>The GPU type (the rows' gpuType, or a flag), and where it came from.</summary>
    public string? GpuType { get; init; }
    public string GpuTypeSource { get; init; } = "the rows' gpuType";
    /// <summary>GPUs per replica given on the command line, and the flag's name; wins over everything.</summary>
    public int? GivenGpuCount { get; init; }
    public string GivenGpuCountSource { get; init; } = "--gpu-count";
    public long? RowGpuCount { get; init; }
    /// <summary>Tokens per session the rows measured: input + output tokens per output.</summary>
    public double? RowContextTokens { get; init; }
    /// <summary>Concurrent sessions the rows measured (their concurrency).</summary>
    public long? RowBatch { get; init; }
    public string RowBatchSource { get; init; } = "the rows' concurrency";
    /// <summary>The buyer profile's capacity plan; used only when it describes these rows (same route and model).</summary>
    public CapacityPlan? Plan { get; init; }
}

/// <summary>The one capacity model: GPUs per replica from a flag, else the rows' gpuCount, else the buyer profile's
/// capacity.gpuCount, else <c>fit</c> (model + GPU + context + batch → the fewest GPUs that hold them); and, from fit at
/// that count, the most concurrent sessions one replica holds. Every figure says where it came from. Pure.</summary>
public static class CapacityModel
{
    /// <summary>Whether the profile's capacity plan describes rows of <paramref name="route"/> measuring
    /// <paramref name="traceModel"/>: the same route, and capacity.traceModel (or capacity.model's catalog entry) naming
    /// the same model.</summary>
    public static bool PlanApplies(CapacityPlan? plan, string route, string? traceModel)
    {
        if (plan?.Route is not { } planned || planned != route)
        {
            return false;
        }
        if (plan.TraceModel is { } named)
        {
            return traceModel is not null && string.Equals(named, traceModel, StringComparison.OrdinalIgnoreCase);
        }
        if (plan.Model is null || traceModel is null)
        {
            return true;
        }
        var planned2 = ModelCatalog.BuiltIn.Find(plan.Model).Match;
        var measured = TraceModelNames.Resolve(traceModel).Entry;
        return planned2 is null || measured is null || planned2.Name == measured.Name;
    }

    public static ReplicaShape Resolve(ReplicaShapeRequest r)
    {
        var plan = PlanApplies(r.Plan, r.Route, r.TraceModel) ? r.Plan : null;
        var (inputs, missing) = FitInputs(r, plan);
        FitResult? fit = null;
        if (inputs is not null)
        {
            fit = FitCalculator.Compute(new FitRequest
            {
                Model = inputs.Value.Model.Architecture,
                Gpu = inputs.Value.Gpu,
                ContextTokens = inputs.Value.Described.ContextTokens,
                Batch = inputs.Value.Described.Batch,
                Weights = inputs.Value.Weights,
            });
        }
        var described = inputs?.Described;

        int gpus;
        GpuCountOrigin origin;
        string source;
        if (r.GivenGpuCount is { } given)
        {
            (gpus, origin, source) = (given, GpuCountOrigin.Flag, r.GivenGpuCountSource);
        }
        else if (r.RowGpuCount is { } row)
        {
            (gpus, origin, source) = ((int)Math.Clamp(row, 1, FitCalculator.MaxGpus * 16), GpuCountOrigin.Row, "the rows' gpuCount");
        }
        else if (plan?.GpuCount is { } planned)
        {
            (gpus, origin, source) = (planned, GpuCountOrigin.Profile, "profile capacity.gpuCount");
        }
        else if (fit?.MinGpus is { } min)
        {
            (gpus, origin, source) = (min, GpuCountOrigin.Fit, $"fit: the fewest that hold {described!.Describe()}");
        }
        else
        {
            var why = fit is not null
                ? Invariant($"{described!.Model} at {described.ContextTokens:#,0} tokens × batch {described.Batch} fits no {described.Gpu} replica of up to {FitCalculator.MaxGpus} GPUs")
                : string.Join("; ", missing);
            (gpus, origin, source) = (1, GpuCountOrigin.Default, "default: no gpuCount in the rows or the profile, and fit cannot size it: " + why);
        }

        int? sessions = null;
        string? sessionsSource = null;
        if (inputs is { } i)
        {
            var plan2 = FitCalculator.Compute(new FitRequest
            {
                Model = i.Model.Architecture,
                Gpu = i.Gpu,
                GpuCount = gpus,
                ContextTokens = i.Described.ContextTokens,
                Batch = i.Described.Batch,
                Weights = i.Weights,
            }).Plan;
            var at = Invariant($"fit at {gpus} × {i.Gpu.Name}, {i.Described.ContextTokens:#,0}-token sessions, {i.Described.Weights} weights");
            if (plan2.MaxConcurrentSessions >= 1)
            {
                sessions = (int)Math.Min(plan2.MaxConcurrentSessions, int.MaxValue);
                sessionsSource = at + (sessions < i.Described.Batch
                    ? Invariant($"; fewer than the batch of {i.Described.Batch} ({i.Described.BatchSource}), which needs ")
                      + (fit?.MinGpus is { } need ? Invariant($"{need} GPUs per replica") : Invariant($"more than {FitCalculator.MaxGpus} GPUs"))
                    : "");
            }
            else
            {
                sessionsSource = at + ": the weights leave no room for a session";
            }
        }
        else if (missing.Count > 0)
        {
            sessionsSource = "fit cannot size it: " + string.Join("; ", missing);
        }
        return new ReplicaShape
        {
            GpusPerReplica = gpus,
            Origin = origin,
            GpuCountSource = source,
            MaxSessionsPerReplica = sessions,
            MaxSessionsSource = sessionsSource,
            FitMinGpus = fit?.MinGpus,
            FitInputs = described,
        };
    }

    private static ((ModelCatalogEntry Model, GpuSpec Gpu, WeightPrecision Weights, ReplicaFitInputs Described)?, List<string>) FitInputs(ReplicaShapeRequest r, CapacityPlan? plan)
    {
        var missing = new List<string>();
        ModelCatalogEntry? model = null;
        WeightPrecision? suffixWeights = null;
        string modelSource = "";
        if (plan?.Model is { } planModel && ModelCatalog.BuiltIn.Find(planModel).Match is { } planned)
        {
            (model, modelSource) = (planned, "profile capacity.model");
            suffixWeights = r.TraceModel is null ? null : TraceModelNames.Resolve(r.TraceModel).Weights;
        }
        else if (r.TraceModel is { } traceModel)
        {
            (model, suffixWeights) = TraceModelNames.Resolve(traceModel);
            modelSource = $"the model catalog's entry for {traceModel}";
            if (model is null)
            {
                missing.Add($"the model catalog has no entry for '{traceModel}' (infercost fit --list)");
            }
        }
        else
        {
            missing.Add("the rows name no model");
        }

        GpuSpec? gpu = null;
        string gpuSource = "";
        if (r.GpuType is { } type)
        {
            gpu = GpuCatalog.BuiltIn.Find(type).Match;
            gpuSource = r.GpuTypeSource;
            if (gpu is null)
            {
                missing.Add($"the GPU catalog has no '{type}'");
            }
        }
        else if (plan?.Gpu is { } planGpu)
        {
            gpu = GpuCatalog.BuiltIn.Find(planGpu).Match;
            gpuSource = "profile capacity.gpu";
            if (gpu is null)
            {
                missing.Add($"the GPU catalog has no '{planGpu}' (profile capacity.gpu)");
            }
        }
        else
        {
            missing.Add("no gpuType in the rows");
        }

        // The rows' own session length and concurrency come first: the measured throughput belongs to them. The
        // profile's planned context and batch stand in only where the rows are silent (its Memory-fit gate checks the plan).
        long? context = null;
        string contextSource = "";
        if (r.RowContextTokens is { } rowContext && rowContext > 0 && double.IsFinite(rowContext))
        {
            (context, contextSource) = ((long)Math.Ceiling(rowContext), "the rows' input + output tokens");
        }
        else if (plan?.ContextTokens is { } planContext)
        {
            (context, contextSource) = (planContext, "profile capacity.contextTokens");
        }
        else
        {
            missing.Add("no tokens per session (input + output tokens)");
        }

        var (batch, batchSource) = r.RowBatch is { } rowBatch and >= 1 ? ((int)Math.Min(rowBatch, 1 << 20), r.RowBatchSource)
            : plan?.Batch is { } planBatch ? (planBatch, "profile capacity.batch")
            : (1, "one session: the rows give no concurrency");

        if (model is null || gpu is null || context is null)
        {
            return (null, missing);
        }
        var (weights, weightsSource) = plan?.Weights is { } w && PrecisionFormat.TryParseWeights(w, out var planWeights) ? (planWeights, "profile capacity.weights")
            : suffixWeights is { } s ? (s, "the trace model's name")
            : (model.Architecture.NativeWeights, "the checkpoint's own precision");
        var described = new ReplicaFitInputs
        {
            Model = model.Name,
            ModelSource = modelSource,
            Weights = PrecisionFormat.Name(weights),
            WeightsSource = weightsSource,
            Gpu = gpu.Name,
            GpuSource = gpuSource,
            ContextTokens = Math.Max(1, context.Value),
            ContextSource = contextSource,
            Batch = Math.Max(1, batch),
            BatchSource = batchSource,
        };
        return ((model, gpu, weights, described), missing);
    }
}
