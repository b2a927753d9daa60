using System.Text;

namespace InferCost.Ledger.Bulk;

/// <summary>
/// Builds one <c>INSERT … SELECT … FROM read_csv(…) WHERE checks</c>: the inner query reads every column as text and
/// casts the numeric ones once; the outer one keeps the rows that pass every check and projects the ledger's
/// columns. Rows carry no line number: contract rows land in file order (DuckDB preserves insertion order, and a
/// bulk-loaded file has one record per line, so a row's line is its position in the import plus one); events may
/// land in any order (see <c>TraceLedger.TryBulkLoad</c>).
/// </summary>
internal sealed class BulkStatement(string table, int importId)
{
    private readonly List<(string Column, string Value)> _columns = [];
    private readonly List<string> _checks = [];
    private readonly SortedSet<int> _numberColumns = [];
    private readonly SortedSet<int> _moneyColumns = [];
    private readonly List<(string Name, string Expression)> _derived = [];

    /// <summary>Declares that CSV column <paramref name="csvColumn"/> is a number (DuckDB's reader parses it), so its
    /// value <c>dK</c> exists.</summary>
    public void UsesNumber(int csvColumn) => _numberColumns.Add(csvColumn);

    /// <summary>Declares that CSV column <paramref name="csvColumn"/> is money: read as text (its decimals are checked),
    /// with its double value as <c>dK</c>.</summary>
    public void UsesMoney(int csvColumn) => _moneyColumns.Add(csvColumn);

    /// <summary>Computes <paramref name="expression"/> (over the text columns) once per row as <paramref name="name"/>.</summary>
    public string Derive(string name, string expression)
    {
        _derived.Add((name, expression));
        return name;
    }

    public void Set(string column, string value) => _columns.Add((column, value));

    public void Check(string condition) => _checks.Add(condition);

    public string Sql(string path, int width, bool crLf)
    {
        var sql = new StringBuilder();
        sql.Append($"INSERT INTO {table} (importId, sourceLine, {string.Join(", ", _columns.Select(c => c.Column))})\n");
        sql.Append($"SELECT {importId}, NULL, {string.Join(",\n    ", _columns.Select(c => c.Value))}\n");
        var casts = string.Concat(_numberColumns.Select(k => ", " + BulkSql.NumberValue(k))) +
                    string.Concat(_moneyColumns.Select(k => ", " + BulkSql.MoneyNumber(k))) +
                    string.Concat(_derived.Select(d => $", {d.Expression} AS {d.Name}"));
        sql.Append($"FROM (SELECT *{casts} FROM {BulkSql.ReadCsv(path, width, crLf, _numberColumns)})\n");
        sql.Append("WHERE ").Append(string.Join("\n  AND ", _checks.DefaultIfEmpty("true")));
        return sql.ToString();
    }
}
