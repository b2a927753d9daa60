using System.Text;

namespace InferCost.Ledger.Tests;

/// <summary>Which files take the bulk path, what it keeps of file order, and that a bad record in a bulk-shaped file
/// is still reported with its line and column and leaves nothing behind.</summary>
public sealed class BulkLoadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("infercost-bulk-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private ImportSource Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return LedgerTestKit.FromFile(path) with { LocalPath = path };
    }

    private static string Row(string model, string latencyP50 = "900") =>
        $"managed,p,{model},w,1000,300,0.25,true,4,300,{latencyP50},2000,45,0.9,0.0021,0.5";

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void A_plain_file_is_bulk_loaded_and_exports_in_file_order(string lineEnd)
    {
        var models = new[] { "m5", "m1", "m4", "m2", "m3" };
        var source = Write("plain.csv", LedgerTestKit.Header + lineEnd + string.Join(lineEnd, models.Select(m => Row(m))) + lineEnd);
        using var ledger = TraceLedger.InMemory();
        Assert.True(ledger.Import([source]).Committed);
        Assert.Equal("5", ledger.Scalar("SELECT count(*) FROM trace_rows WHERE sourceLine IS NULL"));
        var exported = Path.Combine(_directory, "out.csv");
        ledger.Export(exported, parquet: false);
        var exportedModels = File.ReadAllLines(exported).Skip(1).Select(line => line.Split(',')[2]).ToArray();
        Assert.Equal(models, exportedModels);
    }

    [Fact]
    public void A_quoted_field_sends_the_file_record_by_record_with_line_numbers()
    {
        var source = Write("quoted.csv", LedgerTestKit.Header + "\n" + Row("m1") + "\n" + Row("\"m,2\"") + "\n");
        using var ledger = TraceLedger.InMemory();
        Assert.True(ledger.Import([source]).Committed);
        Assert.Equal("2,3", ledger.Scalar("SELECT string_agg(sourceLine::VARCHAR, ',' ORDER BY sourceLine) FROM trace_rows"));
        Assert.Equal("m,2", ledger.Scalar("SELECT model FROM trace_rows WHERE sourceLine = 3"));
    }

    [Fact]
    public void A_quoted_field_past_the_first_megabyte_sends_the_file_record_by_record()
    {
        // DuckDB starts loading once the head looks plain; the whole-file check beside it must still take the rows out.
        const int plainRows = 20_000; // about 1.3 MB of plain lines before the quoted one
        var body = string.Join("\n", Enumerable.Range(0, plainRows).Select(i => Row("m" + i)));
        var source = Write("late-quote.csv", LedgerTestKit.Header + "\n" + body + "\n" + Row("\"m,late\"") + "\n");
        Assert.True(new FileInfo(source.LocalPath!).Length > 1 << 20);
        using var ledger = TraceLedger.InMemory();
        Assert.True(ledger.Import([source]).Committed);
        Assert.Equal((plainRows + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), ledger.Scalar("SELECT count(*) FROM trace_rows WHERE sourceLine IS NOT NULL"));
        Assert.Equal("0", ledger.Scalar("SELECT count(*) FROM trace_rows WHERE sourceLine IS NULL"));
        Assert.Equal("m,late", ledger.Scalar($"SELECT model FROM trace_rows WHERE sourceLine = {plainRows + 2}"));
    }

    [Fact]
    public void A_bad_record_in_a_bulk_shaped_file_is_located_and_nothing_is_kept()
    {
        // Line 4, column 11 (latencyP50Ms) holds 9x, which is not a number.
        var source = Write("bad.csv", LedgerTestKit.Header + "\n" + Row("m1") + "\n" + Row("m2") + "\n" + Row("m3", "9x") + "\n");
        using var ledger = TraceLedger.InMemory();
        var outcome = ledger.Import([source]);
        Assert.False(outcome.Committed);
        var error = Assert.Single(outcome.Files[0].Result!.Diagnostics.Errors);
        Assert.Equal((4L, 11, "9x"), (error.Line, error.ColumnNumber!.Value, error.Value));
        Assert.Equal("0", ledger.Scalar("SELECT count(*) FROM trace_rows"));
        Assert.Equal("0", ledger.Scalar("SELECT count(*) FROM imports"));
    }

    [Fact]
    public void When_DuckDB_refuses_the_bulk_statement_the_import_starts_again_record_by_record()
    {
        // The content is readable, but the path DuckDB is given is not: its reader fails, the transaction is aborted,
        // and the import must roll back, restore the session's settings and read the content record by record.
        var text = LedgerTestKit.Header + "\n" + Row("m1") + "\n" + Row("m2") + "\n";
        var source = LedgerTestKit.FromText("gone.csv", text) with { LocalPath = Path.Combine(_directory, "gone.csv") };
        using var ledger = TraceLedger.InMemory();
        ledger.Execute("SET TimeZone = 'Asia/Kolkata'");
        var outcome = ledger.Import([source]);
        Assert.True(outcome.Committed);
        Assert.Equal(2, outcome.RowsImported);
        Assert.Equal("2,3", ledger.Scalar("SELECT string_agg(sourceLine::VARCHAR, ',' ORDER BY sourceLine) FROM trace_rows"));
        Assert.Equal("Asia/Kolkata", ledger.Scalar("SELECT current_setting('TimeZone')"));
        Assert.Equal("1", ledger.Scalar("SELECT count(*) FROM imports"));
    }
}
