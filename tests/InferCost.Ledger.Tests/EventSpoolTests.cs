using System.Globalization;
using System.Text;
using InferCost.Core.Reading;

namespace InferCost.Ledger.Tests;

/// <summary>
/// Events read record by record reach the ledger through a temporary CSV file (<c>EventSpool</c>) that DuckDB loads
/// in one statement; the stored rows must be exactly those DuckDB's appender stores. The events carry what a CSV file
/// could get wrong: commas, quotes, escaped line ends and non-ASCII text, times finer than a microsecond and before
/// 1970, offsets, doubles that need every digit, nine-decimal money, −0, nulls in every optional field.
/// </summary>
public sealed class EventSpoolTests
{
    // JSON string bodies: the first five are printable ASCII (the file carries them), the rest are not (the appender does).
    private static readonly string[] PlainTexts = ["a", "x,y", "say \\\"hi\\\"", "m-1", "\\\""];
    private static readonly string[] Texts = [.. PlainTexts, "line\\nbreak", "caf\u00e9", "tab\\there", "\\u00e9t\u00e9", "a\\r\\nb"];

    private static readonly string[] Times =
    [
        "1795341600003", "\"2026-05-16T01:15:55.1234567Z\"", "\"1969-12-31T23:59:59.999999Z\"", "\"2026-05-16T01:15:55+05:30\"", "0",
        "\"2026-05-16T01:15:55.123456Z\"", "\"1900-01-01T00:00:00Z\"",
    ];

    private static readonly string[] Numbers = ["0", "-0", "0.1", "123.456", "1e3", "2.2250738585072014e-308", "0.30000000000000004", "1.7976931348623157e308", "4.9e-324"];

    private static readonly string[] Money = ["0", "0.000000001", "0.0021", "999999999.999999999", "0.1234567895", "12.5", "1e-9"];

    private static string Line(Random random, int i)
    {
        string Pick(string[] pool) => pool[random.Next(pool.Length)];
        // Half the events use printable-ASCII text only, so both ways into the ledger are well exercised.
        var texts = random.Next(2) == 0 ? PlainTexts : Texts;
        string Text(string[] _) => "\"" + Pick(texts) + "\"";
        string OrNull(string value) => random.Next(3) == 0 ? "null" : value;
        var fields = new List<string>
        {
            $"\"requestId\":{Text(Texts)}",
            $"\"startedAt\":{Pick(Times)}",
            $"\"latencyMs\":{Pick(Numbers)}",
            $"\"route\":\"{(random.Next(2) == 0 ? "managed" : "Self-hosted GPU stack")}\"",
            $"\"provider\":{Text(Texts)}",
            $"\"model\":{Text(Texts)}",
            $"\"workload\":{Text(Texts)}",
            "\"inputTokens\":1000",
            $"\"cachedInputTokens\":{OrNull("200")}",
            $"\"cacheWriteTokens\":{OrNull("100")}",
            "\"outputTokens\":300",
            $"\"reasoningTokens\":{OrNull("7")}",
            $"\"ttftMs\":{OrNull("0")}",
            $"\"status\":{OrNull(random.Next(2) == 0 ? "\"ok\"" : "\"rate_limited\"")}",
            $"\"attempt\":{OrNull(random.Next(1, 4).ToString(CultureInfo.InvariantCulture))}",
            $"\"accepted\":{OrNull(random.Next(2) == 0 ? "true" : "false")}",
            $"\"reviewMinutes\":{OrNull(Pick(Numbers))}",
            $"\"costUsd\":{OrNull(Pick(Money))}",
            $"\"batch\":{OrNull("true")}",
            $"\"concurrency\":{OrNull(random.Next(1, 64).ToString(CultureInfo.InvariantCulture))}",
            $"\"runId\":{OrNull(Text(Texts))}",
        };
        _ = i;
        return "{" + string.Join(",", fields) + "}";
    }

    /// <summary>One segment, and many: with 97 events a segment, 3,000 events make about 15 loads, each overlapping
    /// the writing of the next, and the appender's share is flushed between loads (at each segment's end, and when
    /// 97 of them wait).</summary>
    [Theory]
    [InlineData(250_000)]
    [InlineData(97)]
    public void Spooled_events_are_stored_exactly_as_the_appender_stores_them(int segmentEvents)
    {
        var random = new Random(5);
        var text = new StringBuilder();
        for (var i = 0; i < 3000; i++)
        {
            text.Append(Line(random, i)).Append('\n');
        }
        var source = EventLedgerTests.EventsFromText("events.jsonl", text.ToString(), TraceFormat.Jsonl);
        using var spooling = TraceLedger.InMemory();
        using var appending = TraceLedger.InMemory();
        appending.SpoolEvents = false;
        spooling.SpoolSegmentEvents = segmentEvents;
        // The load must not depend on the session's time zone.
        spooling.Execute("SET TimeZone = 'Asia/Kolkata'");

        var threads = spooling.Scalar("SELECT current_setting('threads')");

        var viaSpool = spooling.Import([source]);
        var viaAppender = appending.Import([source]);

        Assert.True(viaSpool.Committed && viaAppender.Committed);
        Assert.Equal(3000, viaAppender.EventsImported);
        var spooled = Rows(spooling);
        Assert.Equal(Rows(appending), spooled);
        // Not vacuous: hundreds of events went through the file in one load (a refused load restarts the import
        // without the file, so a file DuckDB cannot read would leave this at zero), and others (non-ASCII text,
        // sub-microsecond or pre-1970 times) through the appender.
        Assert.InRange(spooling.SpooledEvents, 300, 2900);
        Assert.Equal(0, appending.SpooledEvents);
        Assert.Equal("Asia/Kolkata", spooling.Scalar("SELECT current_setting('TimeZone')"));
        Assert.Equal(threads, spooling.Scalar("SELECT current_setting('threads')"));
        Assert.Contains(spooled, row => row.Contains("x,y", StringComparison.Ordinal));
        Assert.Contains(spooled, row => row.Contains('\n', StringComparison.Ordinal));
    }

    [Fact]
    public void Events_only_the_appender_can_carry_are_stored_when_none_goes_through_the_file()
    {
        // Non-ASCII request ids: every event waits for the appender, and nothing is ever loaded from a file.
        var text = string.Concat(Enumerable.Range(0, 10).Select(i =>
            $"{{\"requestId\":\"caf\u00e9-{i}\",\"startedAt\":1795341600000,\"latencyMs\":100,\"route\":\"managed\",\"provider\":\"p\",\"model\":\"m\"," +
            "\"workload\":\"w\",\"inputTokens\":10,\"outputTokens\":5}\n"));
        using var ledger = TraceLedger.InMemory();

        var outcome = ledger.Import([EventLedgerTests.EventsFromText("events.jsonl", text, TraceFormat.Jsonl)]);

        Assert.True(outcome.Committed);
        Assert.Equal(0, ledger.SpooledEvents);
        Assert.Equal(10L, Convert.ToInt64(ledger.Scalar("SELECT count(*) FROM request_events WHERE requestId LIKE 'caf\u00e9-%'"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_spool_file_sits_beside_a_file_ledger_and_is_gone_after_the_import()
    {
        var directory = Directory.CreateTempSubdirectory("infercost-spool-").FullName;
        try
        {
            var random = new Random(9);
            var text = string.Concat(Enumerable.Range(0, 50).Select(i => Line(random, i) + "\n"));
            using (var ledger = TraceLedger.Open(Path.Combine(directory, "ledger.duckdb")))
            {
                Assert.True(ledger.Import([EventLedgerTests.EventsFromText("events.jsonl", text, TraceFormat.Jsonl)]).Committed);
                Assert.True(ledger.SpooledEvents > 0);
            }
            // The writers' lock file stays (see WriteCopy); no segment, no write copy, no WAL.
            Assert.Equal([".ledger.duckdb.lock", "ledger.duckdb"], Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Spool_files_a_killed_import_left_beside_the_ledger_are_deleted_by_the_next_import()
    {
        var directory = Directory.CreateTempSubdirectory("infercost-spool-").FullName;
        try
        {
            var stale = Path.Combine(directory, ".ledger.duckdb.spool-0123456789abcdef.csv");
            var otherLedgers = Path.Combine(directory, ".other.duckdb.spool-0123456789abcdef.csv");
            File.WriteAllText(stale, "1,\"r\"\n");
            File.WriteAllText(otherLedgers, "1,\"r\"\n");
            using (var ledger = TraceLedger.Open(Path.Combine(directory, "ledger.duckdb")))
            {
                Assert.True(ledger.Import([LedgerTestKit.FromFile(LedgerTestKit.Fixture("contract/template.csv"))]).Committed);
            }
            Assert.False(File.Exists(stale));
            Assert.True(File.Exists(otherLedgers)); // another ledger's import may be using it
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static List<string> Rows(TraceLedger ledger) =>
        ledger.Query("SELECT * FROM request_events ORDER BY importId, sourceLine")
            .Select(row => string.Join("|", row.Select(value => value switch
            {
                DBNull => "NULL",
                double d => d.ToString("R", CultureInfo.InvariantCulture) + (double.IsNegative(d) ? "(neg)" : string.Empty),
                DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
                DateTimeOffset o => o.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString(),
            })))
            .ToList();
}
