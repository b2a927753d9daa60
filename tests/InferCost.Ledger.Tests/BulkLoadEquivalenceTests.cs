using System.Globalization;
using System.Text;
using InferCost.Core.Events;
using InferCost.Core.Reading;

namespace InferCost.Ledger.Tests;

/// <summary>
/// The bulk loader (DuckDB's reader with the rules in SQL) must never accept a file the record-by-record binders
/// reject, and must store exactly what they store. Each seeded file mixes ordinary values with one or two tricky
/// ones (signs, leading dots, underscores, NaN, overflows, ten-decimal money, odd timestamps, non-ASCII look-alikes,
/// padded routes); it is imported once with the bulk path available and once without, and the two ledgers are
/// compared outcome by outcome and value by value.
/// </summary>
public sealed class BulkLoadEquivalenceTests : IDisposable
{
    // The files are on disk (DuckDB's reader needs a path); the ledgers are in memory (no commit to disk per file).
    private readonly string _directory = Directory.CreateTempSubdirectory("infercost-bulk-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly string[] Numbers =
    [
        "0", "7", "2.5", "1e3", "1E-3", "-0", "+5", ".5", "5.", "1_000", "+-5", "NaN", "inf", "Infinity", "1e400", "00012",
        "1.0", "3.000", "2e0", "0.0000000005", "0.0000000015", "9.7e-05", "123.1234567891", "1e9", "999999999.999999999",
        "9007199254740993", "18014398509481985", "4.9e-324", "0x10", "1,5", " 5", "5 ", "١٢", "2.", "--5", "-+5", "5_0", "5e+-3",
        "-5", "-1e3", "0e0", "1e-400", "+0.5", "\t3", "1.5e", "e3", "1..2", "nan", "-inf", "0.1e1", "5d", "1e3_0", "0.5_5", "_1", "1_",
    ];

    /// <summary>Money columns get every number plus half-nano-dollar ties at several magnitudes (DuckDB rounds a tie
    /// away from zero, the binders to even) and values on either side of the bulk path's 10^6 bound.</summary>
    private static readonly string[] Money =
    [
        .. Numbers, "0.0000000025", "2.5e-10", "1.5e-9", "999999.0000000005", "999999.9999999995", "999999.999999999", "1000000",
        "5000000.0000000005", "12345.1234567895", "12345.123456789", "0.1000000000000000000005", "0.00210000000000000000001",
    ];

    private static readonly string[] Times =
    [
        "1795341600003", "0", "9999999999999", "99999999999999", "1795341600003.5", "-5", "0017953416000", "+1795341600000", "2026-05-16T01:15:55Z",
        "2026-05-16T01:15:55.123456Z", "2026-05-16T01:15:55.1234567Z", "2026-05-16T01:15:55+05:30", "2026-05-16T01:15:55-14:00",
        "2026-05-16T01:15:55+15:00", "2026-02-30T00:00:00Z", "2026-05-16T24:00:00Z", "2026-05-16 01:15:55", "2026-05-16T01:15:55",
        "2024-02-29T23:59:59.999999Z", "2026-05-16t01:15:55z", "0999-01-01T00:00:00Z", "2026-05-16T01:15:60Z", "2026-05-16",
    ];

    private static readonly string[] RouteNames =
    [
        "managed", "Managed frontier API", "MANAGED", " managed", "self-hosted", "Self-hosted GPU stac\u212A", "owned", "unknown",
        "Dedicated Endpoint", "api", "serverless ", "ded\u0130cated", "\u017ferverless",
    ];

    private static readonly string[] Texts = ["a", "x y", " a", "a ", "\u00e9t\u00e9", "ab\u00a0", "\u212A", "a|b", "NULL", "\"quoted\"", "m-1"];
    private static readonly string[] Statuses = ["ok", "OK", "success", "Canceled", "rate_limited", "o\u212A", "bad", " ok", "timeout", "error"];
    private static readonly string[] Booleans = ["true", "TRUE", "Yes", "1", "0", "no", "maybe", " yes", "ye\u017f", "false"];

    private const string EventHeader =
        "requestId,startedAt,endedAt,latencyMs,route,provider,model,workload,inputTokens,cachedInputTokens,cacheWriteTokens,outputTokens," +
        "reasoningTokens,ttftMs,status,attempt,accepted,reviewMinutes,costUsd,batch,concurrency,runId";

    private static string[] EventPool(int column) => column switch
    {
        1 or 2 => Times,
        4 => RouteNames,
        0 or 5 or 6 or 7 or 21 => Texts,
        14 => Statuses,
        16 or 19 => Booleans,
        18 => Money,
        _ => Numbers,
    };

    private static string[] ContractPool(int column) => column switch
    {
        0 or 22 => RouteNames,
        1 or 2 or 3 or 20 => Texts,
        7 => Booleans,
        19 => Times,
        14 or 21 => Money,
        _ => Numbers,
    };

    private static string EventLine(Random random, int i, bool tricky = true)
    {
        var start = 1_795_341_600_000L + random.Next(0, 100_000);
        var latency = random.Next(50, 5000);
        string[] values =
        [
            "r" + i, start.ToString(CultureInfo.InvariantCulture), random.Next(3) == 0 ? (start + latency).ToString(CultureInfo.InvariantCulture) : "",
            random.Next(3) == 0 ? "" : (latency + random.Next(0, 1000) / 1000.0).ToString(CultureInfo.InvariantCulture),
            "managed", "p" + random.Next(3), "m" + random.Next(3), "w", "1000", random.Next(2) == 0 ? "" : "200", random.Next(2) == 0 ? "" : "100",
            "300", random.Next(2) == 0 ? "" : "50", random.Next(2) == 0 ? "" : "40", random.Next(2) == 0 ? "" : "ok",
            random.Next(2) == 0 ? "" : "1", random.Next(2) == 0 ? "" : "true", random.Next(2) == 0 ? "" : "1.5",
            random.Next(2) == 0 ? "" : "0.0021", random.Next(2) == 0 ? "" : "false", random.Next(2) == 0 ? "" : "4", random.Next(2) == 0 ? "" : "run-1",
        ];
        // Most lines stay ordinary; some get one or two tricky values in random columns.
        for (var t = tricky ? random.Next(-3, 3) : 0; t > 0; t--)
        {
            var column = random.Next(values.Length);
            var pool = EventPool(column);
            values[column] = pool[random.Next(pool.Length)];
        }
        return string.Join(',', values);
    }

    private static string ContractLine(Random random, bool tricky = true)
    {
        string[] values =
        [
            "managed", "p" + random.Next(3), "m" + random.Next(3), "w", "1000", "300", "0.25", "true", "4", "300", "900", "2000", "45", "0.9",
            random.Next(2) == 0 ? "" : "0.0021", "0.5", random.Next(2) == 0 ? "" : "100", random.Next(2) == 0 ? "" : "2500", random.Next(2) == 0 ? "" : "200",
            random.Next(2) == 0 ? "" : "2026-05-16T01:15:55Z", random.Next(2) == 0 ? "" : "H100", random.Next(2) == 0 ? "" : "2.49", random.Next(2) == 0 ? "" : "Dedicated",
        ];
        for (var t = tricky ? random.Next(-3, 3) : 0; t > 0; t--)
        {
            var column = random.Next(values.Length);
            var pool = ContractPool(column);
            values[column] = pool[random.Next(pool.Length)];
        }
        return string.Join(',', values);
    }

    private const string ContractHeader = LedgerTestKit.Header + ",requests,latencyP99Ms,cachedInputTokens,measuredAt,gpuType,gpuHourUsd,fallbackRoute";

    [Theory]
    [InlineData(true, 11)]
    [InlineData(false, 12)]
    public void Bulk_and_record_by_record_imports_agree(bool events, int seed)
    {
        var random = new Random(seed);
        int committed = 0, rejected = 0;
        using var bulk = TraceLedger.InMemory();
        using var slow = TraceLedger.InMemory();
        {
            // A local time zone must not shift timestamps written without an offset.
            bulk.Execute("SET TimeZone = 'Asia/Kolkata'");
            foreach (var (f, body) in Files(events, random).Select((b, i) => (i, b)))
            {
                var lineEnd = random.Next(4) == 0 ? "\r\n" : "\n";
                var text = new StringBuilder(events ? EventHeader : ContractHeader).Append(lineEnd);
                for (var i = 0; i < body.Count; i++)
                {
                    text.Append(body[i]).Append(i < body.Count - 1 || random.Next(5) > 0 ? lineEnd : "");
                }
                var file = Path.Combine(_directory, $"f{f}.csv");
                File.WriteAllText(file, text.ToString(), new UTF8Encoding(false));
                var source = events ? EventLedgerTests.EventsFromText(file, text.ToString()) with { Bulk = BulkContent.Events } : LedgerTestKit.FromFile(file);
                var viaBulk = bulk.Import([source with { LocalPath = file }]);
                var viaBinder = slow.Import([source]);
                Assert.True(viaBulk.Committed == viaBinder.Committed, $"file {f} committed {viaBulk.Committed} with bulk, {viaBinder.Committed} without:\n{text}");
                if (viaBulk.Committed)
                {
                    committed++;
                }
                else
                {
                    rejected++;
                    Assert.Equal(Errors(viaBinder), Errors(viaBulk));
                }
            }
            Assert.Equal("Asia/Kolkata", bulk.Scalar("SELECT current_setting('TimeZone')"));
        }
        var table = events ? "request_events" : "trace_rows";
        var bulkRows = Rows(bulk, table, out var bulkLoaded);
        var slowRows = Rows(slow, table, out var slowBulkLoaded);
        Assert.Equal(0, slowBulkLoaded);
        Assert.Equal(slowRows.Count, bulkRows.Count);
        for (var i = 0; i < slowRows.Count; i++)
        {
            Assert.Equal(slowRows[i], bulkRows[i]);
        }
        // Not vacuous: most valid files went through the bulk path, and both outcomes occurred.
        Assert.True(bulkLoaded > committed / 3, $"only {bulkLoaded} of {committed} committed imports were bulk-loaded");
        Assert.True(rejected > 10, $"only {rejected} files were rejected");
    }

    /// <summary>Tricky values in every column of an ordinary line (one file each, beside an ordinary line), then
    /// files of random lines with a few tricky values each.</summary>
    private static IEnumerable<List<string>> Files(bool events, Random random)
    {
        // The ordinary line is valid, so a file commits exactly when its one tricky value is accepted.
        var ordinary = events ? EventLine(new Random(1), 1, tricky: false) : ContractLine(new Random(1), tricky: false);
        var columns = ordinary.Split(',');
        for (var column = 0; column < columns.Length; column++)
        {
            var pool = events ? EventPool(column) : ContractPool(column);
            for (var v = 0; v < pool.Length; v++)
            {
                // Numbers go in every numeric column, but each column takes a third of them (kept under a minute).
                if (pool == Numbers && (v + column) % 3 != 0)
                {
                    continue;
                }
                var value = pool[v];
                var changed = (string[])columns.Clone();
                changed[column] = value;
                yield return [string.Join(',', changed), ordinary];
            }
        }
        for (var f = 0; f < 50; f++)
        {
            yield return Enumerable.Range(0, random.Next(1, 4)).Select(i => events ? EventLine(random, f * 10 + i) : ContractLine(random)).ToList();
        }
    }

    private static List<string> Errors(ImportOutcome outcome) =>
        outcome.Files.SelectMany(f => f.Result is null ? [] : f.Result.Diagnostics.Errors.Concat(f.Result.Diagnostics.Warnings)).Select(d => d.ToString()).ToList();

    /// <summary>Every stored row as text, in import and file order, and how many imports were bulk-loaded (no line numbers).</summary>
    private static List<string> Rows(TraceLedger ledger, string table, out int bulkImports)
    {
        bulkImports = Convert.ToInt32(ledger.Scalar($"SELECT count(DISTINCT importId) FROM {table} WHERE sourceLine IS NULL"), CultureInfo.InvariantCulture);
        return ledger.Query($"SELECT * EXCLUDE (sourceLine) FROM {table} ORDER BY importId, rowid")
            .Select(row => string.Join("|", row.Select(value => value switch
            {
                DBNull => "NULL",
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
                DateTimeOffset o => o.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString(),
            })))
            .ToList();
    }
}
