using System.Globalization;
using InferCost.Core.Metrics;
using InferCost.Core.Pricing;

namespace InferCost.Ledger;

public sealed partial class TraceLedger
{
    /// <summary>Token sums per group × provider × model × batch eligibility × "gives costUsd", for modeled cost.
    /// One pass inside DuckDB; the result has a handful of rows per group.</summary>
    public IReadOnlyList<CostInputAggregate> AggregateCostInputs(IReadOnlyList<GroupDimension> groupBy)
    {
        var (select, groupKeys) = GroupColumns(groupBy);
        // cached = cachedInputTokens, or inputTokens × cacheHitRate; cache writes and cached tokens are part of inputTokens.
        var sql = $"""
            WITH r AS (
                SELECT *, CAST(coalesce(requests, 1) AS DOUBLE) AS w,
                    CAST(coalesce(requests, 1) AS DOUBLE) * (1 + coalesce(retryRate, 0)) AS wr,
                    least(inputTokens, coalesce(cachedInputTokens, inputTokens * cacheHitRate)) AS cached,
                    coalesce(cacheWriteTokens, 0) AS written
                FROM trace_rows)
            SELECT {select}, provider, model, batchEligible, costUsd IS NOT NULL AS hasCost,
                count(*), sum(w),
                sum(wr * greatest(inputTokens - cached - written, 0)),
                sum(wr * cached),
                sum(wr * written),
                sum(wr * outputTokens),
                coalesce(sum(CAST(coalesce(requests, 1) AS DECIMAL(18,0)) * costUsd), 0)
            FROM r
            GROUP BY {string.Join(", ", groupKeys.Append("provider").Append("model").Append("batchEligible").Append("hasCost"))}
            """;
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var result = new List<CostInputAggregate>();
        while (reader.Read())
        {
            double D(int i) => reader.IsDBNull(i) ? 0 : Convert.ToDouble(reader.GetValue(i), CultureInfo.InvariantCulture);
            result.Add(new CostInputAggregate
            {
                Key = ReadKey(reader),
                Provider = reader.GetString(5),
                Model = reader.GetString(6),
                BatchEligible = reader.GetBoolean(7),
                HasObservedCost = reader.GetBoolean(8),
                Rows = Convert.ToInt64(reader.GetValue(9), CultureInfo.InvariantCulture),
                Weight = D(10),
                WeightedUncachedInputTokens = D(11),
                WeightedCachedInputTokens = D(12),
                WeightedCacheWriteTokens = D(13),
                WeightedOutputTokens = D(14),
                WeightedObservedCostUsd = Convert.ToDecimal(reader.GetValue(15), CultureInfo.InvariantCulture),
            });
        }
        return result;
    }

    /// <summary>The GPU type, count and hourly price each group's rows give, for pricing capacity routes.</summary>
    public IReadOnlyList<GroupHardware> AggregateHardware(IReadOnlyList<GroupDimension> groupBy)
    {
        var (select, groupKeys) = GroupColumns(groupBy);
        var sql = $"""
            WITH r AS (SELECT *, CAST(coalesce(requests, 1) AS DECIMAL(18,0)) AS w FROM trace_rows)
            SELECT {select},
                min(gpuType), count(DISTINCT gpuType), max(gpuCount),
                sum(w * gpuHourUsd) / nullif(sum(w) FILTER (WHERE gpuHourUsd IS NOT NULL), 0)
            FROM r
            {(groupKeys.Count > 0 ? "GROUP BY " + string.Join(", ", groupKeys) : string.Empty)}
            """;
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var result = new List<GroupHardware>();
        while (reader.Read())
        {
            var distinct = Convert.ToInt64(reader.GetValue(6), CultureInfo.InvariantCulture);
            result.Add(new GroupHardware
            {
                Key = ReadKey(reader),
                GpuType = distinct == 1 ? reader.GetString(5) : null,
                DistinctGpuTypes = distinct,
                GpuCount = reader.IsDBNull(7) ? null : Convert.ToInt64(reader.GetValue(7), CultureInfo.InvariantCulture),
                GpuHourUsd = reader.IsDBNull(8) ? null : Math.Round(Convert.ToDecimal(reader.GetValue(8), CultureInfo.InvariantCulture), 9),
            });
        }
        return result;
    }

    private static (string Select, List<string> Keys) GroupColumns(IReadOnlyList<GroupDimension> groupBy)
    {
        string Key(GroupDimension d) => groupBy.Contains(d) ? GroupDimensions.Name(d) : "NULL";
        var select = string.Join(", ", new[] { GroupDimension.Route, GroupDimension.Provider, GroupDimension.Model, GroupDimension.Workload, GroupDimension.Concurrency }
            .Select((d, i) => $"{Key(d)} AS k{i}"));
        return (select, groupBy.Select(GroupDimensions.Name).ToList());
    }

    private static GroupKey ReadKey(System.Data.Common.DbDataReader reader) => new(
        reader.IsDBNull(0) ? null : reader.GetString(0),
        reader.IsDBNull(1) ? null : reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(4) ? null : Convert.ToInt64(reader.GetValue(4), CultureInfo.InvariantCulture));
}
