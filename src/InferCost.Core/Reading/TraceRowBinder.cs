using System.Runtime.InteropServices;
using InferCost.Core.Contract;
using InferCost.Core.Diagnostics;

namespace InferCost.Core.Reading;

/// <summary>
/// Turns one raw row into a <see cref="TraceRow"/>, checking every contract rule and reporting every
/// problem of the row (never just the first). Reuses its buffers and interns repeated text (routes,
/// providers, models, workloads) so a million-row file does not allocate a string per cell. Not thread-safe.
/// </summary>
internal sealed class TraceRowBinder(bool reportMissingFieldsPerRow)
{
    private static readonly IReadOnlyList<FieldSpec> Fields = TraceContract.Fields;
    private static readonly int Count = Fields.Count;

    private readonly double[] _number = new double[Count];
    private readonly long[] _integer = new long[Count];
    private readonly decimal[] _money = new decimal[Count];
    private readonly string?[] _text = new string?[Count];
    // One delegate per binder, made once: binding a row allocates nothing.
    private FieldBinding.ParseValue? _parseValue;
    private FieldBinding.ParseValue _parse => _parseValue ??= ParseField;
    private readonly bool[] _present = new bool[Count];
    private bool _batchEligible;
    private DateTimeOffset _measuredAt;
    private readonly Dictionary<string, string> _interned = new(StringComparer.Ordinal);

    private static readonly int Route = TraceContract.IndexOf("route");
    private static readonly int Provider = TraceContract.IndexOf("provider");
    private static readonly int Model = TraceContract.IndexOf("model");
    private static readonly int Workload = TraceContract.IndexOf("workload");
    private static readonly int InputTokens = TraceContract.IndexOf("inputTokens");
    private static readonly int OutputTokens = TraceContract.IndexOf("outputTokens");
    private static readonly int CacheHitRate = TraceContract.IndexOf("cacheHitRate");
    private static readonly int Concurrency = TraceContract.IndexOf("concurrency");
    private static readonly int TtftMs = TraceContract.IndexOf("ttftMs");
    private static readonly int LatencyP50Ms = TraceContract.IndexOf("latencyP50Ms");
    private static readonly int LatencyP95Ms = TraceContract.IndexOf("latencyP95Ms");
    private static readonly int OutputTokensPerSecond = TraceContract.IndexOf("outputTokensPerSecond");
    private static readonly int AcceptedOutputRate = TraceContract.IndexOf("acceptedOutputRate");
    private static readonly int CostUsd = TraceContract.IndexOf("costUsd");
    private static readonly int ReviewMinutes = TraceContract.IndexOf("reviewMinutes");
    private static readonly int Requests = TraceContract.IndexOf("requests");
    private static readonly int LatencyP99Ms = TraceContract.IndexOf("latencyP99Ms");
    private static readonly int RetryRate = TraceContract.IndexOf("retryRate");
    private static readonly int TimeoutRate = TraceContract.IndexOf("timeoutRate");
    private static readonly int ErrorRate = TraceContract.IndexOf("errorRate");
    private static readonly int Utilization = TraceContract.IndexOf("utilization");
    private static readonly int FallbackRoute = TraceContract.IndexOf("fallbackRoute");
    private static readonly int FallbackShare = TraceContract.IndexOf("fallbackShare");
    private static readonly int CachedInputTokens = TraceContract.IndexOf("cachedInputTokens");
    private static readonly int CacheWriteTokens = TraceContract.IndexOf("cacheWriteTokens");
    private static readonly int ReasoningTokens = TraceContract.IndexOf("reasoningTokens");
    private static readonly int GpuType = TraceContract.IndexOf("gpuType");
    private static readonly int GpuCount = TraceContract.IndexOf("gpuCount");
    private static readonly int GpuHourUsd = TraceContract.IndexOf("gpuHourUsd");
    private static readonly int MeasuredAt = TraceContract.IndexOf("measuredAt");
    private static readonly int WindowSeconds = TraceContract.IndexOf("windowSeconds");
    private static readonly int TargetP95Ms = TraceContract.IndexOf("targetP95Ms");
    private static readonly int Notes = TraceContract.IndexOf("notes");

    /// <summary>Returns the row, or null when it broke a rule (each problem added to <paramref name="diagnostics"/>).</summary>
    public TraceRow? Bind(IRawRow row, DiagnosticBag diagnostics)
    {
        var errorsBefore = diagnostics.ErrorCount;
        FieldBinding.ParseEach(row, Fields, _present, reportMissingFieldsPerRow, diagnostics, _parse);
        CheckAcrossFields(row, diagnostics);
        return diagnostics.ErrorCount == errorsBefore ? Build() : null;
    }

    private string? ParseField(int i, FieldSpec spec, ReadOnlySpan<char> value)
    {
        switch (spec.Kind)
        {
            case FieldKind.Text:
                _text[i] = Intern(value.Trim());
                return null;
            case FieldKind.Route:
                if (Routes.TryNormalize(value, out var canonical))
                {
                    _text[i] = canonical;
                    return null;
                }
                return "is not a known route; use one of: " + string.Join(", ", Routes.All) +
                       " (or an alias: managed, serverless, dedicated, self-hosted, owned)";
            case FieldKind.Integer:
                return ValueParsers.ParseInteger(value, spec.MinimumInteger, out _integer[i]);
            case FieldKind.Rate:
                return ValueParsers.ParseRate(value, out _number[i]);
            case FieldKind.Boolean:
                return ValueParsers.ParseBoolean(value, out _batchEligible);
            case FieldKind.Timestamp:
                return ValueParsers.ParseTimestamp(value, out _measuredAt);
            default:
                if (i == CostUsd || i == GpuHourUsd)
                {
                    return ValueParsers.ParseMoney(value, out _money[i]);
                }
                return ValueParsers.ParseNonNegative(value, out _number[i]);
        }
    }

    private void CheckAcrossFields(IRawRow row, DiagnosticBag diagnostics)
    {
        // ttftMs ≤ latencyP50Ms ≤ latencyP95Ms ≤ latencyP99Ms; the later field of a broken pair is the one reported.
        CheckOrder(row, diagnostics, TtftMs, LatencyP50Ms);
        CheckOrder(row, diagnostics, LatencyP50Ms, LatencyP95Ms);
        CheckOrder(row, diagnostics, LatencyP95Ms, LatencyP99Ms);
        CheckNotAbove(row, diagnostics, CachedInputTokens, InputTokens, "cached tokens are counted inside inputTokens");
        CheckNotAbove(row, diagnostics, ReasoningTokens, OutputTokens, "reasoning tokens are counted inside outputTokens");
    }

    private void CheckOrder(IRawRow row, DiagnosticBag diagnostics, int lower, int upper)
    {
        if (_present[lower] && _present[upper] && _number[upper] < _number[lower])
        {
            diagnostics.Add(Diagnostic.Error(row.Line(upper), row.ColumnNumber(upper), Fields[upper].Name, row.Value(upper).ToString(),
                $"is below {Fields[lower].Name} ({Format(_number[lower])}); latencies must rise ttftMs ≤ latencyP50Ms ≤ latencyP95Ms ≤ latencyP99Ms"));
        }
    }

    private void CheckNotAbove(IRawRow row, DiagnosticBag diagnostics, int part, int whole, string why)
    {
        if (_present[part] && _present[whole] && _number[part] > _number[whole])
        {
            diagnostics.Add(Diagnostic.Error(row.Line(part), row.ColumnNumber(part), Fields[part].Name, row.Value(part).ToString(),
                $"exceeds {Fields[whole].Name} ({Format(_number[whole])}); {why}"));
        }
    }

    private static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private TraceRow Build() => new()
    {
        Route = _text[Route]!,
        Provider = _text[Provider]!,
        Model = _text[Model]!,
        Workload = _text[Workload]!,
        InputTokens = _number[InputTokens],
        OutputTokens = _number[OutputTokens],
        CacheHitRate = _number[CacheHitRate],
        BatchEligible = _batchEligible,
        Concurrency = _integer[Concurrency],
        TtftMs = _number[TtftMs],
        LatencyP50Ms = _number[LatencyP50Ms],
        LatencyP95Ms = _number[LatencyP95Ms],
        OutputTokensPerSecond = _number[OutputTokensPerSecond],
        AcceptedOutputRate = _number[AcceptedOutputRate],
        CostUsd = _present[CostUsd] ? _money[CostUsd] : null,
        ReviewMinutes = _number[ReviewMinutes],
        Requests = _present[Requests] ? _integer[Requests] : null,
        LatencyP99Ms = Number(LatencyP99Ms),
        RetryRate = Number(RetryRate),
        TimeoutRate = Number(TimeoutRate),
        ErrorRate = Number(ErrorRate),
        Utilization = Number(Utilization),
        FallbackRoute = _present[FallbackRoute] ? NormaliseRouteText(_text[FallbackRoute]!) : null,
        FallbackShare = Number(FallbackShare),
        CachedInputTokens = Number(CachedInputTokens),
        CacheWriteTokens = Number(CacheWriteTokens),
        ReasoningTokens = Number(ReasoningTokens),
        GpuType = _present[GpuType] ? _text[GpuType] : null,
        GpuCount = _present[GpuCount] ? _integer[GpuCount] : null,
        GpuHourUsd = _present[GpuHourUsd] ? _money[GpuHourUsd] : null,
        MeasuredAt = _present[MeasuredAt] ? _measuredAt : null,
        WindowSeconds = Number(WindowSeconds),
        TargetP95Ms = Number(TargetP95Ms),
        Notes = _present[Notes] ? _text[Notes] : null,
    };

    private double? Number(int i) => _present[i] ? _number[i] : null;

    /// <summary>A fallback route may be free text ("Managed frontier API (model-x)"); a bare alias is normalised.</summary>
    private static string NormaliseRouteText(string text) => Routes.TryNormalize(text, out var canonical) ? canonical : text;

    private string Intern(ReadOnlySpan<char> value)
    {
        var lookup = _interned.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(value, out var existing))
        {
            return existing;
        }
        if (_interned.Count > 100_000)
        {
            // Free-text columns (notes) can be unique per row; stop interning rather than grow without bound.
            return value.ToString();
        }
        var created = value.ToString();
        _interned[created] = created;
        return created;
    }
}
