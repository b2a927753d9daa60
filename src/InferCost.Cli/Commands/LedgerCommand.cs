using System.CommandLine;
using System.Globalization;
using InferCost.Ledger;

namespace InferCost.Cli.Commands;

internal static class LedgerCommand
{
    public static Command Create(CommandContext context)
    {
        var ledgerForInfo = LedgerOptions.Create();
        var format = FormatOption.Create(OutputFormat.Table, OutputFormat.Json);
        var info = new Command("info", "Show what the ledger holds: imports with provenance, rows per route and workload.\nExample: infercost ledger info")
        {
            ledgerForInfo, format,
        };
        info.SetAction(parse => Info(LedgerOptions.Resolve(parse.GetValue(ledgerForInfo), context), parse.GetValue(format), context));

        var ledgerForExport = LedgerOptions.Create();
        var output = new Option<string>("--out") { Description = "Output file: .parquet or .csv.", Required = true };
        var export = new Command("export", "Write every ledger row out as Parquet or CSV (contract column names).\nExample: infercost ledger export --out rows.parquet")
        {
            ledgerForExport, output,
        };
        export.SetAction(parse => Export(LedgerOptions.Resolve(parse.GetValue(ledgerForExport), context), parse.GetValue(output)!, context));

        return new Command("ledger", "Inspect and export the DuckDB ledger.") { info, export };
    }

    private static int Info(string path, OutputFormat format, CommandContext context)
    {
        using var ledger = LedgerOptions.TryOpen(path, context, readOnly: true);
        if (ledger is null)
        {
            return ExitCodes.Environment;
        }
        var summary = ledger.Summary();
        if (format == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, new { schema = "infercost.ledger-info/v1", summary.Path, summary.SchemaVersion, summary.TotalRows, summary.Imports, rowsByRouteAndWorkload = summary.Counts });
            return ExitCodes.Success;
        }
        var o = context.Out;
        o.WriteLine($"Ledger {summary.Path} (schema v{summary.SchemaVersion}): {summary.TotalRows} rows from {summary.Imports.Count} imports");
        o.WriteLine();
        o.WriteLine("Imports:");
        foreach (var i in summary.Imports)
        {
            o.WriteLine($"  #{i.ImportId}  {i.ImportedAt.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)}  {i.Format,-5}  {i.RowCount,9} rows  sha256 {i.Sha256[..12]}…  {i.SourcePath}");
        }
        o.WriteLine();
        o.WriteLine("Rows per workload and route:");
        foreach (var c in summary.Counts)
        {
            o.WriteLine($"  {c.Workload,-28} {c.Route,-30} {c.Rows,9} rows  {c.Requests,9} requests");
        }
        return ExitCodes.Success;
    }

    private static int Export(string path, string output, CommandContext context)
    {
        var extension = Path.GetExtension(output).ToLowerInvariant();
        if (extension is not (".parquet" or ".csv"))
        {
            context.Err.WriteLine($"--out {output}: the file must end in .parquet or .csv.");
            return ExitCodes.Usage;
        }
        using var ledger = LedgerOptions.TryOpen(path, context, readOnly: true);
        if (ledger is null)
        {
            return ExitCodes.Environment;
        }
        try
        {
            var rows = ledger.Export(output, parquet: extension == ".parquet");
            context.Out.WriteLine($"Wrote {rows} rows to {output}.");
            return ExitCodes.Success;
        }
        catch (LedgerException ex)
        {
            context.Err.WriteLine(ex.Message);
            return ExitCodes.Environment;
        }
    }
}
