using System.Globalization;
using InferCost.Core.Contract;
using InferCost.Core.Diagnostics;
using InferCost.Core.Events;

namespace InferCost.Core.Importers;

/// <summary>Values a format does not carry, given on the command line (<c>--route</c>, <c>--workload</c>,
/// <c>--provider</c>, <c>--model</c>). A value the file carries wins over a fill-in.</summary>
public sealed record FillIns(string? Route = null, string? Workload = null, string? Provider = null, string? Model = null, long? Concurrency = null);

/// <summary>
/// One file's import: resolves fields from the file or from fill-ins (recording which were filled), checks each
/// event with the same rules as the events reader, and hands valid events on. Not thread-safe.
/// </summary>
public sealed class ImportContext(string format, FillIns fillIns, DiagnosticBag diagnostics, Action<RequestEvent, long> onEvent, Action<TraceRow, long> onRow)
{
    private readonly SortedSet<string> _filled = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reportedMissing = new(StringComparer.Ordinal);

    public DiagnosticBag Diagnostics => diagnostics;
    public string Format => format;

    /// <summary>Fields filled from flags or defaults rather than read from the file, e.g. "route (--route)".</summary>
    public IReadOnlyCollection<string> Filled => _filled;

    public long Events { get; private set; }
    public long Rows { get; private set; }

    /// <summary>Records a field the importer set by definition (e.g. "batch = true: batch outputs are batch-eligible").</summary>
    public void Declare(string filled) => _filled.Add(filled);

    public string? Route(string? fromFile = null)
    {
        var text = fromFile ?? Fill("route", fillIns.Route, "--route");
        if (text is null)
        {
            return null;
        }
        if (Routes.TryNormalize(text, out var canonical))
        {
            return canonical;
        }
        if (_reportedMissing.Add("route:" + text))
        {
            diagnostics.Add(Diagnostic.Error(0, null, "route", text, "is not a known route; use one of: " + string.Join(", ", Routes.All)));
        }
        return null;
    }

    /// <summary>The route from <c>--route</c>, else the format's own (declared as filled by definition).</summary>
    public string? RouteOrDefault(string route, string why)
    {
        if (fillIns.Route is not null)
        {
            return Route();
        }
        _filled.Add($"route = {route} ({why}; --route overrides)");
        return route;
    }

    public string ProviderOrDefault(string provider)
    {
        if (fillIns.Provider is not null)
        {
            _filled.Add("provider (--provider)");
            return fillIns.Provider;
        }
        return provider;
    }

    public string? Workload(string? fromFile = null) => fromFile ?? Fill("workload", fillIns.Workload, "--workload");

    public string? Provider(string? fromFile = null) => NonEmpty(fromFile) ?? Fill("provider", fillIns.Provider, "--provider");

    public string? Model(string? fromFile = null) => NonEmpty(fromFile) ?? Fill("model", fillIns.Model, "--model");

    /// <summary>The <c>--concurrency</c> fill-in, for formats that log neither concurrency nor start times.</summary>
    public long? Concurrency()
    {
        if (fillIns.Concurrency is { } c)
        {
            _filled.Add("concurrency (--concurrency)");
            return c;
        }
        if (_reportedMissing.Add("concurrency"))
        {
            diagnostics.Add(Diagnostic.Error(0, null, "concurrency", null, $"is not in a {format} file and cannot be reconstructed without start times: give --concurrency"));
        }
        return null;
    }

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private string? Fill(string field, string? value, string flag)
    {
        if (value is not null)
        {
            _filled.Add($"{field} ({flag})");
            return value;
        }
        if (_reportedMissing.Add(field))
        {
            diagnostics.Add(Diagnostic.Error(0, null, field, null, $"is not in a {format} file: give {flag}"));
        }
        return null;
    }

    public void Error(long line, string? field, string? value, string message) =>
        diagnostics.Add(Diagnostic.Error(line, null, field, value, message));

    /// <summary>Checks an event with the events reader's rules and hands it on; returns false when it broke one.</summary>
    public bool Emit(RequestEvent e, long line)
    {
        var before = diagnostics.ErrorCount;
        void Check(bool ok, string field, double value, string message)
        {
            if (!ok)
            {
                diagnostics.Add(Diagnostic.Error(line, null, field, value.ToString("R", CultureInfo.InvariantCulture), message));
            }
        }
        Check(double.IsFinite(e.LatencyMs) && e.LatencyMs >= 0, "latencyMs", e.LatencyMs, "must be a finite number of milliseconds, zero or more");
        Check(e.InputTokens >= 0, "inputTokens", e.InputTokens, "must be zero or more");
        Check(e.OutputTokens >= 0, "outputTokens", e.OutputTokens, "must be zero or more");
        Check(e.CachedInputTokens >= 0 && e.CacheWriteTokens >= 0 && e.CachedInputTokens + e.CacheWriteTokens <= e.InputTokens, "cachedInputTokens", e.CachedInputTokens,
            $"cached plus cache-write tokens exceed inputTokens ({e.InputTokens}); inputTokens counts all input, cached included");
        if (e.TtftMs is { } ttft)
        {
            Check(double.IsFinite(ttft) && ttft >= 0 && ttft <= e.LatencyMs + 1e-6, "ttftMs", ttft, "must lie between 0 and the latency");
        }
        if (e.CostUsd is { } cost)
        {
            Check(cost >= 0, "costUsd", (double)cost, "must be zero or more");
        }
        if (diagnostics.ErrorCount != before)
        {
            return false;
        }
        Events++;
        onEvent(e with { StartedAt = EventTime.ToMicroseconds(e.StartedAt), TtftMs = e.TtftMs is { } t ? Math.Min(t, e.LatencyMs) : null }, line);
        return true;
    }

    public void EmitRow(TraceRow row, long line)
    {
        Rows++;
        onRow(row, line);
    }
}
