using System.Security.Cryptography;
using System.Text;
using DuckDB.NET.Data;
using InferCost.Core.Events;
using InferCost.Core.Metrics;
using InferCost.Core.Reading;

namespace InferCost.Ledger.Tests;

public sealed class EventLedgerTests
{
    private const string Header = "requestId,startedAt,latencyMs,route,provider,model,workload,inputTokens,cachedInputTokens,outputTokens,ttftMs,status,attempt,accepted,costUsd,concurrency";

    internal static ImportSource EventsFromText(string name, string text, TraceFormat format = TraceFormat.Csv)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return new ImportSource(name, Convert.ToHexStringLower(SHA256.HashData(bytes)), format, () => new MemoryStream(bytes))
        {
            Reader = (stream, path, onEvent, _) => EventReader.Read(stream, path, format, onEvent),
            FormatName = "events",
        };
    }

    /// <summary>A seeded mix: two endpoints, failures, retries, missing TTFT, missing and logged concurrency, ties.</summary>
    private static string RandomEvents(int count, int seed, bool logConcurrency)
    {
        var random = new Random(seed);
        var text = new StringBuilder(Header).Append('\n');
        var statuses = new[] { "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "error", "timeout", "rate_limited" };
        for (var i = 0; i < count; i++)
        {
            var start = 1_767_225_600_000L + random.Next(0, 60_000);
            var latency = random.Next(0, 5000) + random.Next(0, 1000) / 1000.0;
            var input = random.Next(0, 4000);
            var ttft = random.Next(0, 3) == 0 ? string.Empty : Math.Min(latency, random.Next(0, 800)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var accepted = random.Next(0, 3) switch { 0 => "true", 1 => "false", _ => string.Empty };
            var concurrency = logConcurrency && random.Next(0, 2) == 0 ? (1 << random.Next(0, 4)).ToString() : string.Empty;
            text.Append($"r{i},{start},{latency.ToString(System.Globalization.CultureInfo.InvariantCulture)},managed,p{i % 2},m{i % 2},w{i % 3},{input},{random.Next(0, input + 1)},{random.Next(1, 900)},{ttft},{statuses[random.Next(statuses.Length)]},{1 + random.Next(0, 4) / 3},{accepted},0.00{random.Next(1, 999)},{concurrency}\n");
        }
        return text.ToString();
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, false)]
    public void Sql_rollup_equals_the_reference_rollup(int seed, bool logConcurrency)
    {
        var csv = RandomEvents(3000, seed, logConcurrency);
        var (_, events) = EventReader.ReadAll(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "x", TraceFormat.Csv);
        using var ledger = TraceLedger.InMemory();
        var outcome = ledger.Import([EventsFromText("events.csv", csv)]);
        Assert.True(outcome.Committed);
        Assert.Equal(3000, outcome.EventsImported);

        foreach (var grouping in new IReadOnlyList<GroupDimension>[] { GroupDimensions.Default, [GroupDimension.Workload], [GroupDimension.Route, GroupDimension.Concurrency] })
        {
            var expected = EventRollup.Rollup(events, grouping);
            var actual = ledger.RollupEvents(grouping);
            Assert.Equal(expected.Count, actual.Count);
            for (var k = 0; k < expected.Count; k++)
            {
                var (x, y) = (expected[k], actual[k]);
                Assert.Equal((x.Route, x.Provider, x.Model, x.Workload, x.Concurrency, x.ConcurrencySource), (y.Route, y.Provider, y.Model, y.Workload, y.Concurrency, y.ConcurrencySource));
                Assert.Equal((x.Events, x.Requests, x.Failures, x.JudgedOutputs, x.BatchEligible), (y.Events, y.Requests, y.Failures, y.JudgedOutputs, y.BatchEligible));
                Near(x.LatencyP50Ms, y.LatencyP50Ms);
                Near(x.LatencyP95Ms, y.LatencyP95Ms);
                Near(x.LatencyP99Ms, y.LatencyP99Ms);
                Near(x.LatencyP95ErrorAdjustedMs, y.LatencyP95ErrorAdjustedMs);
                Assert.Equal(x.LatencyP95ErrorAdjustedReason, y.LatencyP95ErrorAdjustedReason);
                Near(x.TtftMs, y.TtftMs);
                Near(x.TtftP95Ms, y.TtftP95Ms);
                Near(x.CacheHitRate, y.CacheHitRate);
                Near(x.InputTokens, y.InputTokens);
                Near(x.OutputTokensPerSecond, y.OutputTokensPerSecond);
                Near(x.AcceptedOutputRate, y.AcceptedOutputRate);
                Near(x.RetryRate, y.RetryRate);
                Near(x.ErrorRate, y.ErrorRate);
                Near(x.TimeoutRate, y.TimeoutRate);
                Assert.Equal(x.CostUsd, y.CostUsd);
                Assert.Equal(x.MeasuredAt, y.MeasuredAt);
                Near(x.WindowSeconds, y.WindowSeconds);
            }
        }
    }

    private static void Near(double? expected, double? actual)
    {
        Assert.Equal(expected is null, actual is null);
        if (expected is { } e)
        {
            Assert.True(Math.Abs(e - actual!.Value) <= 1e-9 * Math.Max(1, Math.Abs(e)), $"expected {e}, got {actual}");
        }
    }

    [Fact]
    public void An_invalid_event_file_imports_nothing_not_even_the_valid_files_beside_it()
    {
        var path = LedgerTestKit.TempLedger();
        using var ledger = TraceLedger.Open(path);
        var good = EventsFromText("good.csv", RandomEvents(10, 3, true));
        var bad = EventsFromText("bad.csv", Header + "\nx,2026-01-01T00:00:00Z,-1,managed,p,m,w,1,0,1,,ok,1,,,\n");
        var outcome = ledger.Import([good, bad]);
        Assert.False(outcome.Committed);
        Assert.Equal(0, ledger.EventCount());
        Assert.Empty(ledger.Imports());
    }

    [Fact]
    public void Accept_attaches_judgements_to_successful_attempts_by_request_id()
    {
        using var ledger = TraceLedger.InMemory();
        ledger.Import([EventsFromText("e.csv", Header + "\n" +
            "a,2026-01-01T00:00:00Z,100,managed,p,m,w,10,0,5,,ok,1,,,1\n" +
            "b,2026-01-01T00:00:00Z,100,managed,p,m,w,10,0,5,,error,1,,,1\n" +
            "b,2026-01-01T00:00:01Z,100,managed,p,m,w,10,0,5,,ok,2,,,1\n" +
            "c,2026-01-01T00:00:00Z,100,managed,p,m,w,10,0,5,,ok,1,,,1\n")]);
        var outcome = ledger.Accept([new Judgement("a", true, 2), new Judgement("b", false, null), new Judgement("zz", true, null)]);
        Assert.Equal(2, outcome.Matched);
        Assert.Equal(2, outcome.EventsUpdated);
        Assert.Equal(["zz"], outcome.Unmatched);
        var row = Assert.Single(ledger.RollupEvents(GroupDimensions.Default));
        Assert.Equal(2, row.JudgedOutputs);
        Assert.Equal(0.5, row.AcceptedOutputRate);
        Assert.Equal(2.0 / 3, row.ReviewMinutes!.Value, 12); // 2 minutes over 3 successful outputs
    }

    [Fact]
    public void A_version_1_ledger_still_opens_and_is_migrated_on_write()
    {
        var path = LedgerTestKit.TempLedger();
        using (var ledger = TraceLedger.Open(path))
        {
            Assert.True(ledger.Import([LedgerTestKit.FromFile(LedgerTestKit.Fixture("contract/template.csv"))]).Committed);
        }
        // Turn it back into what version 1 wrote: no request_events table, no import sizes, schemaVersion 1.
        using (var connection = new DuckDBConnection($"Data Source={path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE request_events; ALTER TABLE imports DROP COLUMN sizeBytes; UPDATE ledger_meta SET value = '1' WHERE key = 'schemaVersion'";
            command.ExecuteNonQuery();
        }
        using (var readOnly = TraceLedger.Open(path, readOnly: true))
        {
            Assert.Equal(1, readOnly.SchemaVersion);
            Assert.Equal(0, readOnly.EventCount());
            Assert.Empty(readOnly.RollupEvents(GroupDimensions.Default));
            Assert.NotEmpty(readOnly.Aggregate(GroupDimensions.Default));
        }
        using (var writable = TraceLedger.Open(path))
        {
            Assert.Equal(4, writable.SchemaVersion);
            Assert.NotEmpty(writable.Aggregate(GroupDimensions.Default));
            Assert.True(writable.Import([EventsFromText("e.csv", RandomEvents(5, 4, true))]).Committed);
            Assert.Equal(5, writable.EventCount());
        }
    }
}
