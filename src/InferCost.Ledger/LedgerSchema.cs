using InferCost.Core.Contract;

namespace InferCost.Ledger;

/// <summary>The ledger's tables. Row columns carry the contract's own camelCase names, so an export reads
/// back as a valid contract file. <see cref="Version"/> is stored in the ledger so later releases can migrate.</summary>
internal static class LedgerSchema
{
    /// <summary>2 added <c>request_events</c>; 3 let <c>sourceLine</c> be NULL (rows loaded in bulk, one record per
    /// line, in file order); 4 added <c>imports.sizeBytes</c> (a file whose size no earlier import has is new content,
    /// so it can be loaded while its hash is still being computed). An older ledger is migrated on its first writable
    /// open; its earlier imports keep a NULL size.</summary>
    public const int Version = 4;

    /// <summary>Run on a ledger of version 1 to 3 after <see cref="CreateStatements"/>; each is harmless on a ledger
    /// that already has what it adds.</summary>
    public static IEnumerable<string> MigrationStatements()
    {
        yield return "ALTER TABLE trace_rows ALTER COLUMN sourceLine DROP NOT NULL";
        yield return "ALTER TABLE request_events ALTER COLUMN sourceLine DROP NOT NULL";
        yield return "ALTER TABLE imports ADD COLUMN IF NOT EXISTS sizeBytes BIGINT";
    }

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
                importedAt TIMESTAMPTZ NOT NULL,
                sizeBytes BIGINT)
            """;
        var columns = string.Join(",\n    ", TraceContract.Fields.Select(f =>
            $"{f.Name} {SqlType(f)}{(f.IsRequired ? " NOT NULL" : string.Empty)}"));
        yield return $"CREATE TABLE IF NOT EXISTS trace_rows (\n    importId INTEGER NOT NULL,\n    sourceLine BIGINT,\n    {columns})";
        yield return RequestEventsTable;
    }

    /// <summary>One row per request attempt, in the event file's camelCase names; added in version 2.</summary>
    public const string RequestEventsTable = """
        CREATE TABLE IF NOT EXISTS request_events (
            importId INTEGER NOT NULL,
            sourceLine BIGINT,
            requestId VARCHAR NOT NULL,
            startedAt TIMESTAMPTZ NOT NULL,
            latencyMs DOUBLE NOT NULL,
            route VARCHAR NOT NULL,
            provider VARCHAR NOT NULL,
            model VARCHAR NOT NULL,
            workload VARCHAR NOT NULL,
            inputTokens BIGINT NOT NULL,
            cachedInputTokens BIGINT NOT NULL,
            cacheWriteTokens BIGINT NOT NULL,
            outputTokens BIGINT NOT NULL,
            reasoningTokens BIGINT,
            ttftMs DOUBLE,
            status VARCHAR NOT NULL,
            attempt INTEGER NOT NULL,
            accepted BOOLEAN,
            reviewMinutes DOUBLE,
            costUsd DECIMAL(18,9),
            batch BOOLEAN NOT NULL,
            concurrency BIGINT,
            runId VARCHAR)
        """;
}
