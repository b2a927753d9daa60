using System.Collections;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using InferCost.Core.Events;
using InferCost.Core.Metrics;

namespace InferCost.Ledger;

public sealed partial class TraceLedger
{
    /// <summary>Request events in the ledger (0 for a version-1 ledger opened read-only).</summary>
    public long EventCount()
    {
        if (!HasEventsTable)
        {
            return 0;
        }
        using var command = Connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM request_events";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The exact rollup of every event in the ledger, in one SQL pass inside DuckDB (<c>quantile_cont</c>, the same
    /// linear interpolation as <see cref="EventRollup"/>, which is the reference these figures are tested against).
    /// Events without a logged concurrency get the power-of-two bucket of their reconstructed in-flight count.
    /// </summary>
    public IReadOnlyList<RollupRow> RollupEvents(IReadOnlyList<GroupDimension> groupBy)
    {
        if (!HasEventsTable)
        {
            return [];
        }
        var reconstruct = NeedsReconstruction();
        string Column(GroupDimension d) => d == GroupDimension.Concurrency ? "conc" : GroupDimensions.Name(d);
        var keys = groupBy.Select(Column).ToList();
        string Dimension(GroupDimension d) => groupBy.Contains(d)
            ? Column(d)
            : $"CASE WHEN count(DISTINCT {Column(d)}) = 1 THEN min({Column(d)}) END";
        var sql = new StringBuilder();
        sql.Append("WITH e AS (SELECT *, epoch_us(startedAt) / 1000.0 AS s FROM request_events)");
        if (reconstruct)
        {
            // In flight at s = #starts ≤ s − #ends ≤ s on the same endpoint (+1 for a zero-length attempt): a running
            // sum over +1/−1 points whose RANGE frame takes every point at the same instant together.
            sql.Append("""
                ,
                pts AS (SELECT route, provider, model, s AS t, 1 AS d FROM e
                        UNION ALL SELECT route, provider, model, s + latencyMs AS t, -1 AS d FROM e),
                run AS (SELECT DISTINCT route, provider, model, t,
                            sum(d) OVER (PARTITION BY route, provider, model ORDER BY t RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS n
                        FROM pts),
                ev AS (SELECT e.*, e.concurrency IS NULL AS recon,
                           coalesce(e.concurrency, CASE WHEN m <= 1 THEN 1 ELSE CAST(2 ** ceil(log2(m - 0.5)) AS BIGINT) END) AS conc
                       FROM (SELECT e.*, run.n + CASE WHEN e.latencyMs = 0 THEN 1 ELSE 0 END AS m
                             FROM e JOIN run ON run.route = e.route AND run.provider = e.provider AND run.model = e.model AND run.t = e.s) e)
                """);
        }
        else
        {
            sql.Append(", ev AS (SELECT e.*, false AS recon, e.concurrency AS conc FROM e)");
        }
        sql.Append($"""

            SELECT {Dimension(GroupDimension.Route)}, {Dimension(GroupDimension.Provider)}, {Dimension(GroupDimension.Model)},
                {Dimension(GroupDimension.Workload)}, {Dimension(GroupDimension.Concurrency)},
                bool_and(recon), bool_or(recon),
                count(*),
                count(*) FILTER (WHERE status = 'ok'),
                CAST(coalesce(sum(inputTokens) FILTER (WHERE status = 'ok'), 0) AS DOUBLE),
                CAST(coalesce(sum(cachedInputTokens) FILTER (WHERE status = 'ok'), 0) AS DOUBLE),
                CAST(coalesce(sum(cacheWriteTokens) FILTER (WHERE status = 'ok'), 0) AS DOUBLE),
                CAST(coalesce(sum(outputTokens) FILTER (WHERE status = 'ok'), 0) AS DOUBLE),
                CAST(sum(reasoningTokens) FILTER (WHERE status = 'ok') AS DOUBLE), count(reasoningTokens) FILTER (WHERE status = 'ok'),
                count(*) FILTER (WHERE status = 'ok' AND batch),
                quantile_cont(ttftMs, [0.5, 0.95]) FILTER (WHERE status = 'ok' AND ttftMs IS NOT NULL),
                quantile_cont(latencyMs, [0.5, 0.95, 0.99]) FILTER (WHERE status = 'ok'),
                quantile_cont(CASE WHEN status = 'ok' THEN latencyMs ELSE 'Infinity'::DOUBLE END, 0.95),
                count(*) FILTER (WHERE status = 'ok' AND ttftMs IS NOT NULL AND latencyMs > ttftMs),
                CAST(sum(outputTokens) FILTER (WHERE status = 'ok' AND ttftMs IS NOT NULL AND latencyMs > ttftMs) AS DOUBLE),
                sum(latencyMs - ttftMs) FILTER (WHERE status = 'ok' AND ttftMs IS NOT NULL AND latencyMs > ttftMs),
                count(*) FILTER (WHERE status = 'ok' AND latencyMs > 0),
                CAST(sum(outputTokens) FILTER (WHERE status = 'ok' AND latencyMs > 0) AS DOUBLE),
                sum(latencyMs) FILTER (WHERE status = 'ok' AND latencyMs > 0),
                count(accepted) FILTER (WHERE status = 'ok'),
                count(*) FILTER (WHERE status = 'ok' AND accepted),
                count(*) FILTER (WHERE status = 'ok' AND costUsd IS NULL),
                coalesce(sum(costUsd), 0),
                coalesce(sum(reviewMinutes) FILTER (WHERE status = 'ok'), 0),
                count(*) FILTER (WHERE attempt <= 1),
                count(*) FILTER (WHERE status = 'timeout'),
                count(*) FILTER (WHERE status IN ('error', 'rate_limited')),
                min(s), max(s + latencyMs)
            FROM ev
            GROUP BY {string.Join(", ", keys)}
            """);
        using var command = Connection.CreateCommand();
        command.CommandText = sql.ToString();
        using var reader = command.ExecuteReader();
        var rows = new List<RollupRow>();
        while (reader.Read())
        {
            rows.Add(ReadRollupRow(reader));
        }
        return rows
            .OrderBy(r => r.Workload, StringComparer.Ordinal)
            .ThenBy(r => r.Route is null ? -1 : Core.Contract.Routes.Order(r.Route))
            .ThenBy(r => r.Provider, StringComparer.Ordinal)
            .ThenBy(r => r.Model, StringComparer.Ordinal)
            .ThenBy(r => r.Concurrency)
            .ToList();
    }

    private bool NeedsReconstruction()
    {
        using var command = Connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM request_events WHERE concurrency IS NULL";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>Derives one row from the SQL sums with the same formulas as <see cref="EventRollup"/>.</summary>
    private static RollupRow ReadRollupRow(DuckDBDataReader reader)
    {
        var i = 0;
        string? Text() => reader.IsDBNull(i) ? Skip<string>() : reader.GetString(i++);
        T? Skip<T>() { i++; return default; }
        long L() => Convert.ToInt64(reader.GetValue(i++), CultureInfo.InvariantCulture);
        long? LN() => reader.IsDBNull(i) ? Skip<long?>() : L();
        double D() => reader.IsDBNull(i) ? Skip<double>() : Convert.ToDouble(reader.GetValue(i++), CultureInfo.InvariantCulture);
        double? DN() => reader.IsDBNull(i) ? Skip<double?>() : D();
        bool B() => reader.GetBoolean(i++);
        double?[] List(int count)
        {
            var result = new double?[count];
            if (!reader.IsDBNull(i) && reader.GetValue(i) is IList list)
            {
                for (var k = 0; k < count && k < list.Count; k++)
                {
                    result[k] = list[k] is null ? null : Convert.ToDouble(list[k], CultureInfo.InvariantCulture);
                }
            }
            i++;
            return result;
        }

        var route = Text(); var provider = Text(); var model = Text(); var workload = Text(); var concurrency = LN();
        var allReconstructed = B(); var anyReconstructed = B();
        var events = L(); var n = L();
        var inputSum = D(); var cachedSum = D(); var writeSum = D(); var outputSum = D();
        var reasoningSum = DN(); var reasoningCount = L();
        var batchOk = L();
        var ttft = List(2);
        var latency = List(3);
        var adjusted = DN();
        var streamed = L(); var streamedOut = DN(); var streamedDecodeMs = DN();
        var timed = L(); var timedOut = DN(); var timedMs = DN();
        var judged = L(); var acceptedCount = L();
        var okWithoutCost = L();
        var costSum = Convert.ToDecimal(reader.GetValue(i++), CultureInfo.InvariantCulture);
        var reviewSum = D();
        var firstAttempts = L(); var timeouts = L(); var errors = L();
        var start = D(); var end = D();

        var failures = events - n;
        string? adjustedReason = null;
        if (failures > 0.05 * events)
        {
            adjusted = null;
            adjustedReason = $"failures are {failures} of {events} attempts ({(100.0 * failures / events).ToString("0.##", CultureInfo.InvariantCulture)}%), above 5%, so the error-adjusted p95 is unbounded";
        }
        else if (adjusted is not { } a || !double.IsFinite(a))
        {
            adjusted = null;
            adjustedReason = $"the 95th percentile of {events} attempts falls on a failed attempt, so the error-adjusted p95 is unbounded";
        }

        double? tokensPerSecond;
        string basis;
        if (streamed > 0)
        {
            tokensPerSecond = streamedOut!.Value / (streamedDecodeMs!.Value / 1000.0);
            basis = "Σ output tokens ÷ Σ (latency − TTFT) over streamed successful attempts";
        }
        else
        {
            tokensPerSecond = timed > 0 ? timedOut!.Value / (timedMs!.Value / 1000.0) : null;
            basis = "Σ output tokens ÷ Σ latency (no TTFT logged, so end to end)";
        }

        decimal? cost = null;
        string? costReason = null;
        if (n == 0)
        {
            costReason = "no successful attempt";
        }
        else if (okWithoutCost > 0)
        {
            costReason = $"costUsd is missing in {okWithoutCost} of {n} successful attempts (modeled cost needs the price catalog)";
        }
        else
        {
            cost = Math.Round(costSum / n, 9, MidpointRounding.ToEven);
        }

        return new RollupRow
        {
            Route = route,
            Provider = provider,
            Model = model,
            Workload = workload,
            Concurrency = concurrency,
            ConcurrencySource = allReconstructed ? "reconstructed" : anyReconstructed ? "mixed" : "logged",
            Events = events,
            Requests = n,
            Failures = failures,
            InputTokens = n > 0 ? inputSum / n : null,
            CachedInputTokens = n > 0 ? cachedSum / n : null,
            CacheWriteTokens = n > 0 ? writeSum / n : null,
            OutputTokens = n > 0 ? outputSum / n : null,
            ReasoningTokens = reasoningCount > 0 ? reasoningSum / reasoningCount : null,
            CacheHitRate = inputSum > 0 ? cachedSum / inputSum : n > 0 ? 0 : null,
            BatchEligible = n > 0 && batchOk == n,
            BatchShare = n > 0 ? (double)batchOk / n : null,
            TtftMs = ttft[0],
            TtftP95Ms = ttft[1],
            LatencyP50Ms = n > 0 ? latency[0] : null,
            LatencyP95Ms = n > 0 ? latency[1] : null,
            LatencyP99Ms = n > 0 ? latency[2] : null,
            LatencyReason = n > 0 ? null : "no successful attempt, so no latency percentiles",
            LatencyP95ErrorAdjustedMs = adjusted,
            LatencyP95ErrorAdjustedReason = adjustedReason,
            OutputTokensPerSecond = tokensPerSecond,
            OutputTokensPerSecondBasis = basis,
            AcceptedOutputRate = judged > 0 ? (double)acceptedCount / judged : null,
            JudgedOutputs = judged,
            AcceptanceReason = judged > 0 ? null : "no successful output was judged (import judgements with infercost accept)",
            CostUsd = cost,
            CostReason = costReason,
            ReviewMinutes = n > 0 ? reviewSum / n : null,
            RetryRate = firstAttempts > 0 ? (double)(events - firstAttempts) / firstAttempts : null,
            TimeoutRate = (double)timeouts / events,
            ErrorRate = (double)errors / events,
            MeasuredAt = EventTime.FromEpochMs(start),
            WindowSeconds = (end - start) / 1000.0,
        };
    }

    /// <summary>
    /// Attaches judgements to imported events by request id, in one transaction: each judgement sets
    /// <c>accepted</c> (and <c>reviewMinutes</c> when given) on the request's successful attempts.
    /// Returns how many judgements matched an event and the ids that matched none.
    /// </summary>
    /// <exception cref="LedgerException">A storage failure: nothing was changed.</exception>
    public AcceptOutcome Accept(IReadOnlyList<Judgement> judgements)
    {
        try
        {
            return AcceptInOneTransaction(judgements);
        }
        catch (DuckDBException ex)
        {
            throw WriteFailed(ex);
        }
    }

    private AcceptOutcome AcceptInOneTransaction(IReadOnlyList<Judgement> judgements)
    {
        using var transaction = Connection.BeginTransaction();
        Execute("CREATE OR REPLACE TEMP TABLE judgements (requestId VARCHAR, accepted BOOLEAN, reviewMinutes DOUBLE)");
        using (var appender = Connection.CreateAppender("judgements"))
        {
            foreach (var j in judgements)
            {
                appender.CreateRow().AppendValue(j.RequestId).AppendValue(j.Accepted).AppendValue(j.ReviewMinutes).EndRow();
            }
        }
        var unmatched = new List<string>();
        using (var command = Connection.CreateCommand())
        {
            command.CommandText = "SELECT requestId FROM judgements WHERE requestId NOT IN (SELECT requestId FROM request_events WHERE status = 'ok') ORDER BY requestId";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                unmatched.Add(reader.GetString(0));
            }
        }
        long updated;
        using (var command = Connection.CreateCommand())
        {
            command.CommandText = """
                UPDATE request_events SET accepted = j.accepted, reviewMinutes = coalesce(j.reviewMinutes, request_events.reviewMinutes)
                FROM judgements j WHERE request_events.requestId = j.requestId AND request_events.status = 'ok'
                """;
            updated = command.ExecuteNonQuery();
        }
        Execute("DROP TABLE judgements");
        transaction.Commit();
        if (updated > 0)
        {
            _unpublished = true;
        }
        Publish();
        return new AcceptOutcome(judgements.Count - unmatched.Count, updated, unmatched);
    }
}
