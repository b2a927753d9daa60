using InferCost.Core.Events;
using System.Globalization;
using DuckDB.NET.Data;
using InferCost.Core.Metrics;

namespace InferCost.Ledger;

public sealed partial class TraceLedger
{
    /// <summary>Contract-row groups plus request events rolled up exactly under the same grouping: what
    /// metrics, report, procurement and Studio compute from.</summary>
    public IReadOnlyList<GroupAggregate> AggregateRowsAndEvents(IReadOnlyList<GroupDimension> groupBy)
    {
        var rows = Aggregate(groupBy);
        var events = RollupEvents(groupBy).Select(r => EventAggregates.ToAggregate(r, groupBy)).OfType<GroupAggregate>();
        return EventAggregates.Combine(rows, events);
    }

    /// <summary>Sums every group's rows inside DuckDB (one pass, no rows leave the database).</summary>
    public IReadOnlyList<GroupAggregate> Aggregate(IReadOnlyList<GroupDimension> groupBy)
    {
        var keys = groupBy.Select(GroupDimensions.Name).ToList();
        string Key(GroupDimension d) => groupBy.Contains(d) ? GroupDimensions.Name(d) : "NULL";
        var select = string.Join(", ", new[] { GroupDimension.Route, GroupDimension.Provider, GroupDimension.Model, GroupDimension.Workload, GroupDimension.Concurrency }.Select(Key));
        var sql = $"""
            WITH r AS (SELECT *, CAST(coalesce(requests, 1) AS DOUBLE) AS w FROM trace_rows)
            SELECT {select},
                count(*),
                sum(w),
                CASE WHEN count(requests) = count(*) THEN CAST(sum(requests) AS BIGINT) END,
                sum(w * inputTokens),
                sum(w * inputTokens * (1 - cacheHitRate)),
                sum(w * outputTokens),
                sum(w * acceptedOutputRate),
                sum(w * reviewMinutes),
                coalesce(sum(CAST(coalesce(requests, 1) AS DECIMAL(18,0)) * costUsd), 0),
                count(*) - count(costUsd),
                sum(CASE WHEN batchEligible THEN w ELSE 0 END),
                sum(w * outputTokensPerSecond * concurrency * acceptedOutputRate),
                sum(w * outputTokensPerSecond),
                max(ttftMs), max(latencyP50Ms), max(latencyP95Ms), max(latencyP99Ms), count(latencyP99Ms),
                coalesce(sum(w * retryRate), 0), coalesce(sum(w) FILTER (WHERE retryRate IS NOT NULL), 0),
                coalesce(sum(w * timeoutRate), 0), coalesce(sum(w) FILTER (WHERE timeoutRate IS NOT NULL), 0),
                coalesce(sum(w * errorRate), 0), coalesce(sum(w) FILTER (WHERE errorRate IS NOT NULL), 0),
                coalesce(sum(w * utilization), 0), coalesce(sum(w) FILTER (WHERE utilization IS NOT NULL), 0),
                coalesce(sum(w * fallbackShare), 0), coalesce(sum(w) FILTER (WHERE fallbackShare IS NOT NULL), 0),
                string_agg(DISTINCT fallbackRoute, chr(31) ORDER BY fallbackRoute),
                min(targetP95Ms), max(targetP95Ms),
                count(*) FILTER (WHERE cacheHitRate > 0),
                count(measuredAt),
                count(gpuType)
            FROM r
            {(keys.Count > 0 ? "GROUP BY " + string.Join(", ", keys) : string.Empty)}
            """;
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var result = new List<GroupAggregate>();
        while (reader.Read())
        {
            var i = 0;
            string? Text() => reader.IsDBNull(i) ? SkipNull() : reader.GetString(i++);
            string? SkipNull() { i++; return null; }
            double D() => reader.IsDBNull(i) ? SkipZero() : Convert.ToDouble(reader.GetValue(i++), CultureInfo.InvariantCulture);
            double SkipZero() { i++; return 0; }
            double? DN() => reader.IsDBNull(i) ? (double?)SkipNullD() : Convert.ToDouble(reader.GetValue(i++), CultureInfo.InvariantCulture);
            double? SkipNullD() { i++; return null; }
            long L() => Convert.ToInt64(reader.GetValue(i++), CultureInfo.InvariantCulture);
            long? LN() => reader.IsDBNull(i) ? (long?)SkipNullL() : Convert.ToInt64(reader.GetValue(i++), CultureInfo.InvariantCulture);
            long? SkipNullL() { i++; return null; }
            WeightedSum WS() { var s = D(); var w = D(); return new WeightedSum(s, w); }

            var key = new GroupKey(Text(), Text(), Text(), Text(), LN());
            result.Add(new GroupAggregate
            {
                Key = key,
                Rows = L(),
                Weight = D(),
                Requests = LN(),
                WeightedInputTokens = D(),
                WeightedUncachedInputTokens = D(),
                WeightedOutputTokens = D(),
                WeightedAcceptedOutputRate = D(),
                WeightedReviewMinutes = D(),
                WeightedCostUsd = Convert.ToDecimal(reader.GetValue(i++), CultureInfo.InvariantCulture),
                RowsWithoutCost = L(),
                WeightedBatchEligible = D(),
                WeightedThroughputHeadroom = D(),
                WeightedOutputTokensPerSecond = D(),
                MaxTtftMs = D(),
                MaxLatencyP50Ms = D(),
                MaxLatencyP95Ms = D(),
                MaxLatencyP99Ms = DN(),
                RowsWithP99 = L(),
                RetryRate = WS(),
                TimeoutRate = WS(),
                ErrorRate = WS(),
                Utilization = WS(),
                FallbackShare = WS(),
                FallbackRoutes = Text()?.Split('\u001f') ?? [],
                MinTargetP95Ms = DN(),
                MaxTargetP95Ms = DN(),
                RowsWithCacheHits = L(),
                RowsWithMeasuredAt = L(),
                RowsWithGpuType = L(),
            });
        }
        return result;
    }

    /// <summary>Summary for <c>ledger info</c>.</summary>
    public LedgerSummary Summary()
    {
        using var command = Connection.CreateCommand();
        command.CommandText = "SELECT route, workload, count(*), CAST(coalesce(sum(requests), 0) AS BIGINT) FROM trace_rows GROUP BY route, workload ORDER BY workload, route";
        var counts = new List<RouteWorkloadCount>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                counts.Add(new RouteWorkloadCount(reader.GetString(0), reader.GetString(1), Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture)));
            }
        }
        return new LedgerSummary(Path, LedgerSchema.Version, Imports(), counts, counts.Sum(c => c.Rows));
    }

    /// <summary>Writes every row, in import order, as Parquet or CSV with the contract's column names.</summary>
    public long Export(string outputPath, bool parquet)
    {
        var columns = string.Join(", ", Core.Contract.TraceContract.Fields.Select(f => f.Name == "measuredAt"
            ? "strftime(timezone('UTC', measuredAt), '%Y-%m-%dT%H:%M:%S.%fZ') AS measuredAt"
            : f.Name));
        var target = outputPath.Replace("'", "''", StringComparison.Ordinal);
        var options = parquet ? "FORMAT parquet" : "FORMAT csv, HEADER true";
        using var command = Connection.CreateCommand();
        command.CommandText = $"COPY (SELECT {columns} FROM trace_rows ORDER BY importId, rowid) TO '{target}' ({options})";
        try
        {
            return command.ExecuteNonQuery();
        }
        catch (DuckDBException ex)
        {
            throw new LedgerException($"Cannot write {outputPath}: {FirstLine(ex.Message)}", ex);
        }
    }

    /// <summary>A throwaway ledger in memory, for commands that read files directly.</summary>
    public static TraceLedger InMemory(TimeProvider? clock = null) => Open(":memory:", clock);
}
