using InferCost.Core.Contract;

namespace InferCost.Ledger;

/// <summary>The ledger's tables. Row columns carry the contract's own camelCase names, so an export reads
/// back as a valid contract file. <see cref="Version"/> is stored in the ledger so later releases can migrate.</summary>
internal static class LedgerSchema
{
    public const int Version = 1;

    public static string SqlType(FieldSpec field) => field.Kind switch
    {
        FieldKind.Text or FieldKind.Route => "VARCHAR",
        FieldKind.Integer => "BIGINT",
        FieldKind.Boolean => "BOOLEAN",
        FieldKind.Timestamp => "TIMESTAMPTZ",
        _ when field.Name is "costUsd" or "gpuHourUsd" => "DECIMAL(18,9)",
        _ => "DOUBLE",
    };

    public static IEnumerable<string> CreateStatements()
    {
        yield return "CREATE TABLE IF NOT EXISTS ledger_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)";
        yield return """
            CREATE TABLE IF NOT EXISTS imports (
                importId INTEGER PRIMARY KEY,
                sourcePath VARCHAR NOT NULL,
                sha256 VARCHAR NOT NULL,
                format VARCHAR NOT NULL,
                rowCount BIGINT NOT NULL,
                importedAt TIMESTAMPTZ NOT NULL)
            """;
        var columns = string.Join(",\n    ", TraceContract.Fields.Select(f =>
            $"{f.Name} {SqlType(f)}{(f.IsRequired ? " NOT NULL" : string.Empty)}"));
        yield return $"CREATE TABLE IF NOT EXISTS trace_rows (\n    importId INTEGER NOT NULL,\n    sourceLine BIGINT NOT NULL,\n    {columns})";
    }
}
