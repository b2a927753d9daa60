using System.Globalization;
using InferCost.Core.Contract;

namespace InferCost.Core.Writing;

/// <summary>Writes contract rows as RFC 4180 CSV in the invariant culture. What it writes, <c>TraceReader</c> reads back equal.</summary>
public static class TraceCsvWriter
{
    /// <summary>Writes a header of <paramref name="fields"/> (default: the 16 seed fields) and one line per row.</summary>
    public static void Write(TextWriter writer, IEnumerable<TraceRow> rows, IReadOnlyList<FieldSpec>? fields = null)
    {
        fields ??= TraceContract.SeedFields;
        writer.Write(string.Join(",", fields.Select(f => f.Name)));
        writer.Write('\n');
        foreach (var row in rows)
        {
            for (var i = 0; i < fields.Count; i++)
            {
                if (i > 0)
                {
                    writer.Write(',');
                }
                writer.Write(Quote(FieldText(row, fields[i].Name)));
            }
            writer.Write('\n');
        }
    }

    /// <summary>The invariant text of one field of a row; empty when the row does not give it.</summary>
    public static string FieldText(TraceRow row, string field) => field switch
    {
        "route" => row.Route,
        "provider" => row.Provider,
        "model" => row.Model,
        "workload" => row.Workload,
        "inputTokens" => Num(row.InputTokens),
        "outputTokens" => Num(row.OutputTokens),
        "cacheHitRate" => Num(row.CacheHitRate),
        "batchEligible" => row.BatchEligible ? "true" : "false",
        "concurrency" => Num(row.Concurrency),
        "ttftMs" => Num(row.TtftMs),
        "latencyP50Ms" => Num(row.LatencyP50Ms),
        "latencyP95Ms" => Num(row.LatencyP95Ms),
        "outputTokensPerSecond" => Num(row.OutputTokensPerSecond),
        "acceptedOutputRate" => Num(row.AcceptedOutputRate),
        "costUsd" => Num(row.CostUsd),
        "reviewMinutes" => Num(row.ReviewMinutes),
        "requests" => Num(row.Requests),
        "latencyP99Ms" => Num(row.LatencyP99Ms),
        "retryRate" => Num(row.RetryRate),
        "timeoutRate" => Num(row.TimeoutRate),
        "errorRate" => Num(row.ErrorRate),
        "utilization" => Num(row.Utilization),
        "fallbackRoute" => row.FallbackRoute ?? string.Empty,
        "fallbackShare" => Num(row.FallbackShare),
        "cachedInputTokens" => Num(row.CachedInputTokens),
        "cacheWriteTokens" => Num(row.CacheWriteTokens),
        "reasoningTokens" => Num(row.ReasoningTokens),
        "gpuType" => row.GpuType ?? string.Empty,
        "gpuCount" => Num(row.GpuCount),
        "gpuHourUsd" => Num(row.GpuHourUsd),
        "measuredAt" => row.MeasuredAt?.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture) ?? string.Empty,
        "windowSeconds" => Num(row.WindowSeconds),
        "targetP95Ms" => Num(row.TargetP95Ms),
        "notes" => row.Notes ?? string.Empty,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "not a contract field"),
    };

    private static string Num(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty;
    private static string Num(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
    private static string Num(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>Quotes a cell when it holds a comma, quote, line break or edge whitespace (RFC 4180).</summary>
    public static string Quote(string cell)
    {
        var needs = cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (cell.Length > 0 && (char.IsWhiteSpace(cell[0]) || char.IsWhiteSpace(cell[^1])));
        return needs ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
    }
}
