namespace InferCost.Core.Fit;

/// <summary>How serious a <see cref="FitDiagnostic"/> is.</summary>
public enum FitSeverity
{
    /// <summary>The input cannot be used; no result is produced.</summary>
    Error,

    /// <summary>A result is produced, but an assumption was made that the user should see.</summary>
    Warning,
}

/// <summary>One problem found while reading a model description or computing a fit: which source, which key,
/// which value, and why. Readers return these instead of throwing.</summary>
/// <param name="Severity">Error (no result) or warning (result with a caveat).</param>
/// <param name="Source">The file or catalog entry that was read, as the user named it.</param>
/// <param name="Key">The configuration key or header field concerned, if any.</param>
/// <param name="Value">The offending value as text, if any.</param>
/// <param name="Message">Why it is a problem, as one sentence without a trailing period.</param>
public sealed record FitDiagnostic(FitSeverity Severity, string Source, string? Key, string? Value, string Message)
{
    public static FitDiagnostic Error(string source, string? key, string? value, string message) =>
        new(FitSeverity.Error, source, key, value, message);

    public static FitDiagnostic Warning(string source, string? key, string? value, string message) =>
        new(FitSeverity.Warning, source, key, value, message);

    /// <summary>The diagnostic as one sentence: source, key, value, reason.</summary>
    public override string ToString()
    {
        var where = Key is null ? Source : $"{Source}: key '{Key}'";
        var what = Value is null ? string.Empty : $" (value {Value})";
        return $"{where}{what}: {Message}.";
    }
}

/// <summary>A value produced by a reader, or the diagnostics explaining why there is none.</summary>
/// <typeparam name="T">The value type.</typeparam>
public sealed record FitReadResult<T>(T? Value, IReadOnlyList<FitDiagnostic> Diagnostics)
    where T : class
{
    /// <summary>True when a value was produced (warnings may still be present).</summary>
    public bool Succeeded => Value is not null && Diagnostics.All(d => d.Severity != FitSeverity.Error);

    public static FitReadResult<T> Failed(FitDiagnostic error) => new(null, [error]);
}
