using InferCost.Core.Contract;
using InferCost.Core.Events;
using InferCost.Core.Reading;

namespace InferCost.Ledger.Bulk;

/// <summary>The bulk statement for request events: the rules of <c>EventRowBinder</c> in SQL, with its defaults
/// (status ok, attempt 1, batch false, no cached or cache-write tokens) and latency from endedAt when it is not given.</summary>
internal static class EventBulkSql
{
    public static string Build(CsvColumns columns, string path, bool crLf, int importId)
    {
        var statement = new BulkStatement("request_events", importId);
        int At(int field) => columns.ColumnOf[field];
        string Raw(int field) => At(field) >= 0 ? BulkSql.Column(At(field)) : "NULL";
        string Number(int field) => At(field) >= 0 ? BulkSql.Number(At(field)) : "NULL";

        var started = statement.Derive("started_us", BulkSql.EventMicros(Raw(EventFields.StartedAt)));
        var ended = At(EventFields.EndedAt) >= 0 ? statement.Derive("ended_us", BulkSql.EventMicros(Raw(EventFields.EndedAt))) : "NULL";
        var route = statement.Derive("route_name", BulkSql.RouteValue(Raw(EventFields.Route)));
        var status = At(EventFields.Status) >= 0 ? statement.Derive("status_name", StatusValue(Raw(EventFields.Status))) : "'ok'";
        foreach (var (field, spec) in EventFields.All.Select((s, i) => (i, s)))
        {
            var k = At(field);
            if (k < 0)
            {
                continue;
            }
            var c = BulkSql.Column(k);
            string check = field switch
            {
                EventFields.StartedAt => $"{started} IS NOT NULL",
                EventFields.EndedAt => $"{ended} IS NOT NULL",
                EventFields.Status => $"{status} IS NOT NULL",
                EventFields.CostUsd => BulkSql.Money(k),
                _ => spec.Kind switch
                {
                    FieldKind.Route => $"{route} IS NOT NULL",
                    FieldKind.Text => BulkSql.PlainText(c),
                    FieldKind.Integer => BulkSql.Integer(k, spec.MinimumInteger),
                    FieldKind.Boolean => BulkSql.Boolean(c),
                    _ => BulkSql.NonNegative(k),
                },
            };
            if (field == EventFields.CostUsd)
            {
                statement.UsesMoney(k);
            }
            else if (field is not (EventFields.StartedAt or EventFields.EndedAt or EventFields.Status) && spec.Kind is not (FieldKind.Text or FieldKind.Route or FieldKind.Boolean))
            {
                statement.UsesNumber(k);
            }
            statement.Check(spec.IsRequired ? $"({c} IS NOT NULL AND {check})" : $"({c} IS NULL OR {check})");
        }

        // Latency: given, or endedAt − startedAt in milliseconds computed as EventTime.EpochMs does (µs ÷ 1000.0).
        var latency = $"coalesce({Number(EventFields.LatencyMs)}, CAST({ended} AS DOUBLE) / 1000.0 - CAST({started} AS DOUBLE) / 1000.0)";
        statement.Check($"({Raw(EventFields.EndedAt)} IS NULL OR {ended} >= {started})");
        statement.Check($"({Raw(EventFields.LatencyMs)} IS NOT NULL OR {Raw(EventFields.EndedAt)} IS NOT NULL)");
        statement.Check($"({Number(EventFields.TtftMs)} IS NULL OR {Number(EventFields.TtftMs)} <= {latency})");
        string IntegerOr(int field, string fallback) => At(field) >= 0 ? $"coalesce({BulkSql.IntegerValue(At(field))}, {fallback})" : fallback;
        // In whole numbers, as the binder compares them (each is below 2^53, so the casts are exact).
        statement.Check($"{IntegerOr(EventFields.CachedInputTokens, "0")} + {IntegerOr(EventFields.CacheWriteTokens, "0")} <= {IntegerOr(EventFields.InputTokens, "NULL")}");
        statement.Check($"({Number(EventFields.ReasoningTokens)} IS NULL OR {IntegerOr(EventFields.ReasoningTokens, "NULL")} <= {IntegerOr(EventFields.OutputTokens, "NULL")})");
        statement.Set("requestId", Raw(EventFields.RequestId));
        statement.Set("startedAt", $"make_timestamp({started})::TIMESTAMPTZ");
        statement.Set("latencyMs", latency);
        statement.Set("route", route);
        statement.Set("provider", Raw(EventFields.Provider));
        statement.Set("model", Raw(EventFields.Model));
        statement.Set("workload", Raw(EventFields.Workload));
        statement.Set("inputTokens", IntegerOr(EventFields.InputTokens, "NULL"));
        statement.Set("cachedInputTokens", IntegerOr(EventFields.CachedInputTokens, "0"));
        statement.Set("cacheWriteTokens", IntegerOr(EventFields.CacheWriteTokens, "0"));
        statement.Set("outputTokens", IntegerOr(EventFields.OutputTokens, "NULL"));
        statement.Set("reasoningTokens", IntegerOr(EventFields.ReasoningTokens, "NULL"));
        statement.Set("ttftMs", Number(EventFields.TtftMs));
        statement.Set("status", $"coalesce({status}, 'ok')");
        // The binder caps attempt at int.MaxValue rather than reject it.
        statement.Set("attempt", $"CAST(least({IntegerOr(EventFields.Attempt, "1")}, 2147483647) AS INTEGER)");
        statement.Set("accepted", At(EventFields.Accepted) >= 0 ? BulkSql.BooleanValue(Raw(EventFields.Accepted)) : "NULL");
        statement.Set("reviewMinutes", Number(EventFields.ReviewMinutes));
        statement.Set("costUsd", At(EventFields.CostUsd) >= 0 ? BulkSql.MoneyValue(At(EventFields.CostUsd)) : "NULL");
        statement.Set("batch", At(EventFields.Batch) >= 0 ? $"coalesce({BulkSql.BooleanValue(Raw(EventFields.Batch))}, false)" : "false");
        statement.Set("concurrency", IntegerOr(EventFields.Concurrency, "NULL"));
        statement.Set("runId", Raw(EventFields.RunId));
        return statement.Sql(path, columns.Width, crLf);
    }

    /// <summary>The wire name of a status as <see cref="EventStatusNames.TryParse"/> reads it; NULL when it is not one.</summary>
    private static string StatusValue(string c) => BulkSql.Lookup(c,
        [("ok", "ok"), ("success", "ok"), ("error", "error"), ("timeout", "timeout"), ("rate_limited", "rate_limited"), ("cancelled", "cancelled"), ("canceled", "cancelled")]);
}
