namespace InferCost.Ledger.Tests;

public class ImportTests
{
    [Fact]
    public void Import_records_rows_and_provenance()
    {
        var path = LedgerTestKit.TempLedger();
        using (var ledger = TraceLedger.Open(path))
        {
            var outcome = ledger.Import([LedgerTestKit.FromFile(LedgerTestKit.Fixture("contract/template.csv"))]);
            Assert.True(outcome.Committed);
            Assert.Equal(3, outcome.RowsImported);
        }
        using var reopened = TraceLedger.Open(path, readOnly: true);
        var summary = reopened.Summary();
        Assert.Equal(3, summary.TotalRows);
        var import = Assert.Single(summary.Imports);
        Assert.Equal("csv", import.Format);
        Assert.Equal(3, import.RowCount);
        Assert.Equal(64, import.Sha256.Length);
    }

    [Fact]
    public void A_bad_row_in_a_second_file_keeps_the_first_file_out_of_the_ledger()
    {
        var path = LedgerTestKit.TempLedger();
        using var ledger = TraceLedger.Open(path);

        var outcome = ledger.Import([
            LedgerTestKit.FromFile(LedgerTestKit.Fixture("contract/template.csv")),
            LedgerTestKit.FromFile(LedgerTestKit.Fixture("contract/rate-above-one.csv")),
        ]);

        Assert.False(outcome.Committed);
        Assert.Equal(ImportStatus.RolledBack, outcome.Files[0].Status);
        Assert.Equal(ImportStatus.Invalid, outcome.Files[1].Status);
        Assert.Equal(0, ledger.Summary().TotalRows);
        Assert.Empty(ledger.Imports());
    }

    [Fact]
    public void A_bad_row_after_many_batches_rolls_back_every_appended_row_and_keeps_the_line_numbers_of_good_imports()
    {
        var path = LedgerTestKit.TempLedger();
        var ledger = TraceLedger.Open(path);
        var template = File.ReadAllLines(LedgerTestKit.Fixture("contract/template.csv"));
        var header = template[0];
        var good = template[1];
        // 10,000 good rows span several appender batches before the bad last row is read.
        var lines = new[] { header }.Concat(Enumerable.Repeat(good, 10_000)).Append(good.Replace("Managed frontier API", "Carrier pigeon")).ToArray();
        var bad = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(bad, lines);
        var fine = Path.Combine(Path.GetTempPath(), $"fine-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(fine, lines[..^1]);

        var failed = ledger.Import([LedgerTestKit.FromFile(bad)]);
        var imported = ledger.Import([LedgerTestKit.FromFile(fine)]);

        Assert.False(failed.Committed);
        Assert.Equal(10_002, Assert.Single(failed.Files[0].Result!.Diagnostics.Errors).Line);
        Assert.True(imported.Committed);
        Assert.Equal(10_000, ledger.Summary().TotalRows);
        ledger.Dispose();
        using var connection = new DuckDB.NET.Data.DuckDBConnection($"Data Source={path};ACCESS_MODE=READ_ONLY");
        connection.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT min(sourceLine), max(sourceLine), count(DISTINCT sourceLine) FROM trace_rows";
        using var reader = query.ExecuteReader();
        reader.Read();
        // Physical lines 2..10,001: the header is line 1, and batching must not shuffle or drop a line number.
        Assert.Equal((2L, 10_001L, 10_000L), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
    }

    [Fact]
    public void Reimporting_identical_content_is_a_no_op_that_says_so()
    {
        var path = LedgerTestKit.TempLedger();
        using var ledger = TraceLedger.Open(path);
        var source = LedgerTestKit.FromFile(LedgerTestKit.Fixture("contract/template.csv"));
        ledger.Import([source]);

        var again = ledger.Import([source with { Path = "renamed.csv" }]);

        Assert.True(again.NothingNew);
        Assert.Equal(ImportStatus.AlreadyImported, again.Files[0].Status);
        Assert.Equal(3, ledger.Summary().TotalRows);
        Assert.Single(ledger.Imports());
    }

    [Fact]
    public void A_file_that_is_not_a_duckdb_database_is_one_clear_sentence()
    {
        var path = LedgerTestKit.TempLedger();
        File.WriteAllText(path, "this is not a database, just text that happens to be long enough to look like a header..........");

        var ex = Assert.Throws<LedgerException>(() => TraceLedger.Open(path));

        Assert.Contains("is not a DuckDB database file", ex.Message);
        Assert.DoesNotContain("\n", ex.Message);
    }

    [Fact]
    public void A_missing_ledger_in_read_only_mode_says_to_import_first()
    {
        var ex = Assert.Throws<LedgerException>(() => TraceLedger.Open(LedgerTestKit.TempLedger(), readOnly: true));

        Assert.Contains("import traces first", ex.Message);
    }

    [Fact]
    public void Export_to_csv_reads_back_as_a_valid_contract_file()
    {
        var path = LedgerTestKit.TempLedger();
        var csv = Path.ChangeExtension(path, ".csv");
        using var ledger = TraceLedger.Open(path);
        ledger.Import([LedgerTestKit.FromFile(LedgerTestKit.Fixture("contract/template.csv"))]);

        ledger.Export(csv, parquet: false);

        var rows = new List<Core.Contract.TraceRow>();
        using var stream = File.OpenRead(csv);
        var result = Core.Reading.TraceReader.Read(stream, csv, Core.Reading.TraceFormat.Csv, (r, _) => rows.Add(r));
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics.Errors.Select(e => e.ToSentence(csv))));
        Assert.Equal(3, rows.Count);
        Assert.Equal(0.215m, rows[0].CostUsd);
        Assert.Equal(28200, rows[0].LatencyP95Ms);
    }
}
