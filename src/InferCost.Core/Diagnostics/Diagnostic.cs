namespace InferCost.Core.Diagnostics;

public enum Severity
{
    Error,
    Warning,
}

/// <summary>One problem found in an input: where it is, what the value was, and why it is wrong.</summary>
/// <param name="Line">1-based physical line; the header is line 1. 0 when the problem concerns the whole file.</param>
/// <param name="ColumnNumber">1-based CSV column, the 1-based character column of a JSON syntax error, or null
/// for JSON fields and whole-file problems.</param>
/// <param name="Column">The field name the problem is about, or null.</param>
/// <param name="Value">The offending text, as given (truncated when long), or null.</param>
/// <param name="Message">The reason, a lower-case clause without a final period.</param>
public sealed record Diagnostic(Severity Severity, long Line, int? ColumnNumber, string? Column, string? Value, string Message)
{
    public const int MaxValueLength = 80;

    public static Diagnostic Error(long line, int? columnNumber, string? column, string? value, string message) =>
        new(Severity.Error, line, columnNumber, column, Clip(value), message);

    public static Diagnostic Warning(long line, int? columnNumber, string? column, string? value, string message) =>
        new(Severity.Warning, line, columnNumber, column, Clip(value), message);

    private static string? Clip(string? value) =>
        value is { Length: > MaxValueLength } ? string.Concat(value.AsSpan(0, MaxValueLength), "…") : value;

    /// <summary>One sentence: file, line, column, value and reason.</summary>
    public string ToSentence(string path)
    {
        var where = Line > 0 ? $"{path}, line {Line}" : path;
        if (ColumnNumber is { } n && Column is not null)
        {
            where += $", column {n} ({Column})";
        }
        else if (Column is not null)
        {
            where += $", field {Column}";
        }
        else if (ColumnNumber is { } position)
        {
            where += $", column {position}";
        }
        var value = Value is null ? string.Empty : $"value \"{Escape(Value)}\" ";
        return $"{where}: {value}{Message}.";
    }

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal)
             .Replace("\"", "\\\"", StringComparison.Ordinal)
             .Replace("\r", "\\r", StringComparison.Ordinal)
             .Replace("\n", "\\n", StringComparison.Ordinal)
             .Replace("\t", "\\t", StringComparison.Ordinal);
}
