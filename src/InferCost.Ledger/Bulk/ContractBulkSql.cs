using InferCost.Core.Contract;
using InferCost.Core.Reading;

namespace InferCost.Ledger.Bulk;

/// <summary>The bulk statement for contract rows: the rules of <c>TraceRowBinder</c>, field by field and across
/// fields, in SQL (see <see cref="BulkSql"/> for how each rule stays within what the binder accepts).</summary>
internal static class ContractBulkSql
{
    public static string Build(CsvColumns columns, string path, bool crLf, int importId)
    {
        var statement = new BulkStatement("trace_rows", importId);
        var fields = TraceContract.Fields;
        string? Value(string name) => columns.ColumnOf[TraceContract.IndexOf(name)] is var k and >= 0 ? BulkSql.Number(k) : null;
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            var k = columns.ColumnOf[i];
            if (k < 0)
            {
                statement.Set(field.Name, "NULL");
                continue;
            }
            var c = BulkSql.Column(k);
            var (check, value) = field.Kind switch
            {
                FieldKind.Text when field.Name == "fallbackRoute" => (BulkSql.PlainText(c), $"coalesce({BulkSql.RouteValue(c)}, {c})"),
                FieldKind.Text => (BulkSql.PlainText(c), c),
                FieldKind.Route => ($"{statement.Derive("route_name", BulkSql.RouteValue(c))} IS NOT NULL", "route_name"),
                FieldKind.Integer => (BulkSql.Integer(k, field.MinimumInteger), BulkSql.IntegerValue(k)),
                FieldKind.Rate => (BulkSql.Rate(k), BulkSql.Number(k)),
                FieldKind.Boolean => (BulkSql.Boolean(c), BulkSql.BooleanValue(c)),
                FieldKind.Timestamp => (BulkSql.Timestamp(c), BulkSql.TimestampValue(c)),
                _ when field.Name is "costUsd" or "gpuHourUsd" => (BulkSql.Money(k), BulkSql.MoneyValue(k)),
                _ => (BulkSql.NonNegative(k), BulkSql.Number(k)),
            };
            if (field.Name is "costUsd" or "gpuHourUsd")
            {
                statement.UsesMoney(k);
            }
            else if (field.Kind is FieldKind.Integer or FieldKind.Rate or FieldKind.NonNegative)
            {
                statement.UsesNumber(k);
            }
            statement.Check(field.IsRequired ? $"({c} IS NOT NULL AND {check})" : $"({c} IS NULL OR {check})");
            statement.Set(field.Name, value);
        }
        // ttftMs ≤ latencyP50Ms ≤ latencyP95Ms ≤ latencyP99Ms; cached ≤ input; reasoning ≤ output (when both are given).
        NotAbove(statement, Value("ttftMs"), Value("latencyP50Ms"));
        NotAbove(statement, Value("latencyP50Ms"), Value("latencyP95Ms"));
        NotAbove(statement, Value("latencyP95Ms"), Value("latencyP99Ms"));
        NotAbove(statement, Value("cachedInputTokens"), Value("inputTokens"));
        NotAbove(statement, Value("reasoningTokens"), Value("outputTokens"));
        return statement.Sql(path, columns.Width, crLf);
    }

    private static void NotAbove(BulkStatement statement, string? lower, string? upper)
    {
        if (lower is not null && upper is not null)
        {
            statement.Check($"({lower} IS NULL OR {upper} IS NULL OR {lower} <= {upper})");
        }
    }
}
