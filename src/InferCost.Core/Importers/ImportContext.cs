using System.Globalization;
using InferCost.Core.Contract;
using InferCost.Core.Diagnostics;
using InferCost.Core.Events;

namespace InferCost.Core.Importers;

/// <summary>Values a format does not carry, given on the command line (<c>--route</c>, <c>--workload</c>,
/// <c>--provider</c>, <c>--model</c>, <c>--concurrency</c>) or by a mapping file (<c>--mapping</c>). A value the file
/// carries wins over every fill-in; see <see cref="ImportContext"/> for the order of the rest.</summary>
/// <param name="IncludeWarmup">Keep the requests a tool marks as warm-up or cool-down (<c>--include-warmup</c>); by
/// default only the tool's measured window is imported, as the tool's own metrics count it.</param>
public sealed record FillIns(string? Route = null, string? Workload = null, string? Provider = null, string? Model = null, long? Concurrency = null,
    FillMapping? Mapping = null, bool IncludeWarmup = false);

/// <summary>
/// One file's import: resolves fields from the file or from fill-ins (recording which were filled), checks each
/// event with the same rules as the events reader, and hands valid events on. Not thread-safe.
/// </summary>
/// <remarks>
/// A route, workload or provider the file lacks is taken, first found, from: the mapping's entry for the event's
/// model; the flag; the mapping's defaults; the format's own default (OpenAI's and Anthropic's logs are their APIs).
/// The most specific statement wins, so one command can import a gateway log of several models with one mapping,
/// and a flag still overrides the mapping's catch-all defaults; a flag never overrides a model's own entry, because
/// the entry is the user's statement about that model and a flag is a statement about the whole file.
/// </remarks>
public sealed class ImportContext(string format, FillIns fillIns, DiagnosticBag diagnostics, Action<RequestEvent, long> onEvent, Action<TraceRow, long> onRow)
{
    private readonly SortedSet<string> _filled = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    // Each field is resolved once per model: importers ask per record, and a model's answer never changes within a file.
    private readonly Dictionary<(string Field, string? Model), string?> _resolved = [];
    // Flags that took part in the import (used, or reported as overridden by the file): the rest are reported unused.
    private readonly HashSet<string> _usedFlags = new(StringComparer.Ordinal);
    private readonly ImportPlausibility _plausibility = new();

    public DiagnosticBag Diagnostics => diagnostics;
    public string Format => format;

    /// <summary>Fields filled from flags, the mapping or defaults rather than read from the file, e.g. "route (--route)".</summary>
    public IReadOnlyCollection<string> Filled => _filled;

    public long Events { get; private set; }
    public long Rows { get; private set; }

    /// <summary>Records a field the importer set by definition (e.g. "batch = true: batch outputs are batch-eligible").</summary>
    public void Declare(string filled) => _filled.Add(filled);

    /// <summary>Declares that the format does not log <paramref name="fields"/> (e.g. a batch API's latency), so their
    /// placeholder values are said once here rather than flagged by the plausibility checks.</summary>
    public void NotLogged(string declaration, params string[] fields)
    {
        _filled.Add(declaration);
        foreach (var field in fields)
        {
            _plausibility.NotLogged(field);
        }
    }

    /// <summary>The canonical route for events of <paramref name="model"/>, or null after reporting why there is none.</summary>
    public string? Route(string? model) => Resolve("route", model, fillIns.Route, "--route", null);

    /// <summary>As <see cref="Route"/>, but the format's own <paramref name="route"/> (declared as filled) when neither a
    /// flag nor the mapping gives one.</summary>
    public string? RouteOrDefault(string? model, string route, string why) => Resolve("route", model, fillIns.Route, "--route", (route, why));

    /// <summary>As <see cref="Provider"/> for a format that logs no provider: the format's own <paramref name="provider"/>
    /// (declared as filled) when neither a flag nor the mapping gives one.</summary>
    public string? ProviderOrDefault(string? model, string provider, string why) => Resolve("provider", model, fillIns.Provider, "--provider", (provider, why));

    /// <summary>The workload the file gives, else the one filled in for <paramref name="model"/>; null after reporting why there is none.</summary>
    public string? Workload(string? model, string? fromFile = null) => NonEmpty(fromFile) ?? Resolve("workload", model, fillIns.Workload, "--workload", null);

    /// <summary>The provider the file gives, else the one filled in for <paramref name="model"/>; null after reporting why there is none.</summary>
    public string? Provider(string? model, string? fromFile = null) => NonEmpty(fromFile) ?? Resolve("provider", model, fillIns.Provider, "--provider", null);

    /// <summary>The model the file gives, else <c>--model</c>. A mapping cannot give a model: its entries are keyed by one.</summary>
    public string? Model(string? fromFile = null)
    {
        if (NonEmpty(fromFile) is { } model)
        {
            return model;
        }
        if (fillIns.Model is not null)
        {
            _usedFlags.Add("--model");
            _filled.Add("model (--model)");
            return fillIns.Model;
        }
        Report("model", $"is not in {Formatting.Article.For(format)} file: give --model");
        return null;
    }

    /// <summary>The <c>--concurrency</c> fill-in, for formats that log neither concurrency nor start times.</summary>
    public long? Concurrency()
    {
        if (fillIns.Concurrency is { } c)
        {
            _usedFlags.Add("--concurrency");
            _filled.Add("concurrency (--concurrency)");
            return c;
        }
        Report("concurrency", $"is not in {Formatting.Article.For(format)} file and cannot be reconstructed without start times: give --concurrency");
        return null;
    }

    /// <summary>The concurrency of a run: the one the tool states (<paramref name="fromFile"/>, from <paramref name="source"/>)
    /// wins, and a different <c>--concurrency</c> is reported as not used; else the flag; else null, so the rollup
    /// reconstructs it from the requests' intervals. A fixed-concurrency run thus stays one group.</summary>
    public long? ConcurrencyOr(long? fromFile, string source)
    {
        if (fromFile is { } stated)
        {
            if (fillIns.Concurrency is { } flag && _usedFlags.Add("--concurrency") && flag != stated)
            {
                diagnostics.Add(Diagnostic.Warning(0, null, "concurrency", flag.ToString(CultureInfo.InvariantCulture),
                    $"--concurrency was not used: the file states concurrency {stated} ({source}), and the file's value wins"));
            }
            return stated;
        }
        if (fillIns.Concurrency is { } c)
        {
            _usedFlags.Add("--concurrency");
            _filled.Add("concurrency (--concurrency)");
            return c;
        }
        return null;
    }

    /// <summary>Whether to keep warm-up and cool-down requests (<c>--include-warmup</c>); asking marks the flag as used.</summary>
    public bool IncludeWarmup
    {
        get
        {
            _usedFlags.Add("--include-warmup");
            return fillIns.IncludeWarmup;
        }
    }

    /// <summary>Warns once for each fill-in flag that was given but played no part in this file, so a flag is never
    /// silently ignored. Called after the importer has read the file.</summary>
    public void ReportUnusedFlags()
    {
        foreach (var (flag, given) in new[]
                 {
                     ("--route", fillIns.Route is not null), ("--workload", fillIns.Workload is not null), ("--provider", fillIns.Provider is not null),
                     ("--model", fillIns.Model is not null), ("--concurrency", fillIns.Concurrency is not null), ("--include-warmup", fillIns.IncludeWarmup),
                 })
        {
            if (given && !_usedFlags.Contains(flag))
            {
                diagnostics.Add(Diagnostic.Warning(0, null, flag.TrimStart('-'), null, flag == "--include-warmup"
                    ? $"--include-warmup was given but not used: a {format} file marks no warm-up or cool-down requests"
                    : $"{flag} was given but not used: the {format} file states the {flag.TrimStart('-')} of every record it holds{(fillIns.Mapping is null ? string.Empty : ", or the mapping gives it")}"));
            }
        }
    }

    /// <summary>Runs the shared plausibility checks over everything emitted (see <see cref="ImportPlausibility"/>).</summary>
    public void ReportPlausibility(bool carriesUsage) => _plausibility.Report(diagnostics, format, carriesUsage);

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private string? Resolve(string field, string? model, string? flag, string flagName, (string Value, string Why)? formatDefault)
    {
        if (_resolved.TryGetValue((field, model), out var known))
        {
            return known;
        }
        var value = Choose(field, model, flag, flagName, formatDefault);
        _resolved[(field, model)] = value;
        return value;
    }

    private string? Choose(string field, string? model, string? flag, string flagName, (string Value, string Why)? formatDefault)
    {
        var mapping = fillIns.Mapping;
        var entry = mapping?.For(model);
        if (entry?.Get(field) is { } fromEntry)
        {
            _filled.Add($"{field} (mapping {mapping!.Name}, model {entry.Model})");
            return fromEntry;
        }
        if (mapping is { Models.Count: > 0 } && model is not null && entry is null && _reported.Add("entry:" + model))
        {
            diagnostics.Add(Diagnostic.Warning(0, null, "model", model, NoEntry(mapping, model)));
        }
        if (flag is not null)
        {
            _usedFlags.Add(flagName);
            _filled.Add($"{field} ({flagName})");
            return field == "route" ? FlagRoute(flag) : flag;
        }
        if (mapping?.Defaults.Get(field) is { } fromDefaults)
        {
            _filled.Add($"{field} (mapping {mapping.Name} defaults)");
            return fromDefaults;
        }
        if (formatDefault is { } d)
        {
            _filled.Add($"{field} = {d.Value} ({d.Why}; {flagName}{(mapping is null ? string.Empty : " or the mapping")} overrides)");
            return d.Value;
        }
        Report(field, mapping is null
            ? $"is not in {Formatting.Article.For(format)} file: give {flagName}"
            : $"is not in {Formatting.Article.For(format)} file, and mapping {mapping.Name} gives none for {(model is null ? "it" : $"model {model}")} nor in its defaults: give {flagName} or add \"{field}\" to the mapping");
        return null;
    }

    private string? FlagRoute(string text)
    {
        if (Routes.TryNormalize(text, out var canonical))
        {
            return canonical;
        }
        Report("route", "is not a known route; use one of: " + string.Join(", ", Routes.All), text);
        return null;
    }

    /// <summary>The warning for a model the mapping has no entry for; a dated snapshot of a mapped model is the usual cause.</summary>
    private static string NoEntry(FillMapping mapping, string model)
    {
        var near = mapping.Models.Keys.FirstOrDefault(k => model.StartsWith(k, StringComparison.OrdinalIgnoreCase));
        return $"has no entry in mapping {mapping.Name}, so its fields come from the flags or the mapping's defaults" +
               (near is null ? string.Empty : $" (entries match whole model names: add \"{model}\" beside \"{near}\")");
    }

    /// <summary>An error reported once per file for the same field, value and message.</summary>
    private void Report(string field, string message, string? value = null)
    {
        if (_reported.Add($"{field}|{value}|{message}"))
        {
            diagnostics.Add(Diagnostic.Error(0, null, field, value, message));
        }
    }

    public void Error(long line, string? field, string? value, string message) =>
        diagnostics.Add(Diagnostic.Error(line, null, field, value, message));

    /// <summary>A problem at a line and column of the file itself (a JSON syntax error).</summary>
    public void ErrorAt(long line, int? column, string message) =>
        diagnostics.Add(Diagnostic.Error(line, column, null, null, message));

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
            // TTFT above the latency is counted once for the whole file by the plausibility checks.
            Check(double.IsFinite(ttft) && ttft >= 0, "ttftMs", ttft, "must be a finite number of milliseconds, zero or more");
        }
        if (e.CostUsd is { } cost)
        {
            Check(cost >= 0, "costUsd", (double)cost, "must be zero or more");
        }
        if (diagnostics.ErrorCount != before)
        {
            return false;
        }
        _plausibility.Observe(e, line);
        Events++;
        onEvent(e with { StartedAt = EventTime.ToMicroseconds(e.StartedAt), TtftMs = e.TtftMs is { } t ? Math.Min(t, e.LatencyMs) : null }, line);
        return true;
    }

    public void EmitRow(TraceRow row, long line)
    {
        _plausibility.Observe(row, line);
        Rows++;
        onRow(row, line);
    }
}
