using InferCost.Bench.Client;
using InferCost.Bench.Emulator;
using InferCost.Core.Events;

namespace InferCost.Bench.Tests;

[Collection(TimingCollection.Name)]
public sealed class BenchAgainstEmulatorTests
{
    [Fact]
    public async Task Injected_ttft_of_50_ms_and_20_ms_per_token_are_measured_within_2_ms_at_p50()
    {
        var profile = new EmulatorProfile { TtftMs = 50, MsPerToken = 20 };
        // 25 samples: the median stays put when a few are delayed by a busy machine.
        var settings = Harness.Settings(Harness.Synthetic(osl: 6), new BenchLevel(LevelMode.Concurrency, 1)) with { RequestsPerLevel = 25, Warmup = 3 };

        var (outcomes, path) = await Harness.RunAsync(profile, settings);

        var events = Harness.ReadEvents(path);
        Assert.Equal(25, events.Count);
        Assert.All(events, e => Assert.Equal(EventStatus.Ok, e.Status));
        Assert.All(events, e => Assert.Equal(6, e.OutputTokens));
        var ttftP50 = Harness.P50(events.Select(e => e.TtftMs!.Value));
        var tpotP50 = Harness.P50(events.Select(e => (e.LatencyMs - e.TtftMs!.Value) / (e.OutputTokens - 1)));
        Assert.InRange(ttftP50, 48, 52);
        Assert.InRange(tpotP50, 18, 22);
        // End to end: 50 + 5 × 20 = 150 ms.
        Assert.InRange(Harness.P50(events.Select(e => e.LatencyMs)), 148, 157);
        Assert.Single(outcomes);
    }

    [Fact]
    public async Task A_429_with_Retry_After_1_is_retried_after_one_second()
    {
        // 60 rpm is one request per second: the second request, sent at once, is told to come back in 1 s.
        var profile = new EmulatorProfile { RequestsPerMinute = 60 };
        var settings = Harness.Settings(Harness.Synthetic(), new BenchLevel(LevelMode.Concurrency, 1)) with { RequestsPerLevel = 2 };

        var (_, path) = await Harness.RunAsync(profile, settings);

        var events = Harness.ReadEvents(path);
        var second = events.Where(e => e.RequestId.EndsWith("-1", StringComparison.Ordinal)).OrderBy(e => e.Attempt).ToList();
        Assert.Equal(2, second.Count);
        Assert.Equal(EventStatus.RateLimited, second[0].Status);
        Assert.Equal(EventStatus.Ok, second[1].Status);
        Assert.Equal(2, second[1].Attempt);
        var waitedMs = (second[1].StartedAt - second[0].EndedAt).TotalMilliseconds;
        // Never before the second is up; the policy adds up to 10 % jitter, and a loaded 2-core machine adds a few
        // hundred ms of scheduling on top, so the upper bound only rules out "ignored it and waited its own backoff".
        Assert.InRange(waitedMs, 1000, 1600);
    }

    [Fact]
    public async Task A_cut_stream_is_an_error_event_and_is_not_retried()
    {
        var profile = new EmulatorProfile { FaultRate = 1, Faults = [FaultKind.Cut] };
        var settings = Harness.Settings(Harness.Synthetic(osl: 10), new BenchLevel(LevelMode.Concurrency, 2)) with { RequestsPerLevel = 4 };

        var (outcomes, path) = await Harness.RunAsync(profile, settings);

        var events = Harness.ReadEvents(path);
        Assert.Equal(4, events.Count);
        Assert.All(events, e => Assert.Equal(EventStatus.Error, e.Status));
        Assert.All(events, e => Assert.Equal(1, e.Attempt));
        Assert.Equal(4, outcomes[0].ErrorsByClass["stream_cut"]);
    }

    [Fact]
    public async Task Injected_server_errors_are_retried_and_every_attempt_is_an_event()
    {
        var profile = new EmulatorProfile { FaultRate = 1, Faults = [FaultKind.ServerError] };
        var settings = Harness.Settings(Harness.Synthetic(), new BenchLevel(LevelMode.Concurrency, 1)) with
        {
            RequestsPerLevel = 2,
            Retry = new RetryPolicy(MaxRetries: 2, BaseMs: 1, CapMs: 5),
        };

        var (outcomes, path) = await Harness.RunAsync(profile, settings);

        var events = Harness.ReadEvents(path);
        Assert.Equal(6, events.Count);
        Assert.Equal([1, 1, 2, 2, 3, 3], events.Select(e => e.Attempt).Order().ToArray());
        var row = EventRollup.Rollup(events).Single();
        Assert.Equal(2.0, row.RetryRate);
        Assert.Equal(1.0, row.ErrorRate);
        Assert.Equal(6, outcomes[0].ErrorsByClass["http_5xx"]);
    }

    [Fact]
    public async Task Cached_tokens_from_usage_are_picked_up()
    {
        // 48 shared prefix tokens = three 16-token blocks; the first request fills the cache.
        var profile = new EmulatorProfile { PrefixCache = true };
        var settings = Harness.Settings(Harness.Synthetic(isl: 64, prefix: 48), new BenchLevel(LevelMode.Concurrency, 1)) with { RequestsPerLevel = 3 };

        var (_, path) = await Harness.RunAsync(profile, settings);

        var events = Harness.ReadEvents(path).OrderBy(e => e.StartedAt).ToList();
        Assert.All(events, e => Assert.Equal(64, e.InputTokens));
        Assert.Equal([0L, 48L, 48L], events.Select(e => e.CachedInputTokens).ToArray());
    }

    [Fact]
    public async Task A_cancelled_run_leaves_a_valid_events_file_whose_rollup_matches_the_completed_requests()
    {
        var profile = new EmulatorProfile { TtftMs = 5, MsPerToken = 5 };
        var settings = Harness.Settings(Harness.Synthetic(osl: 10), new BenchLevel(LevelMode.Concurrency, 4)) with { RequestsPerLevel = 10_000 };
        using var cancel = new CancellationTokenSource();
        await using var server = await EmulatorServer.StartAsync(profile);
        var path = Path.Combine(Path.GetTempPath(), "infercost-bench-tests", Guid.NewGuid().ToString("N") + ".jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var client = new EndpointClient(new Uri(server.BaseAddress, "v1"), apiKey: null);
        IReadOnlyList<LevelOutcome> outcomes;
        using (var writer = new EventsJsonlWriter(File.Create(path)))
        {
            var run = new BenchRunner(settings, client, writer, TimeProvider.System).RunAsync(null, cancel.Token);
            // Stop mid-run, as Ctrl-C would, once a few dozen requests are done.
            while (writer.Written < 30)
            {
                await Task.Delay(10);
            }
            await cancel.CancelAsync();
            outcomes = await run;
        }

        var events = Harness.ReadEvents(path);
        var completed = outcomes[0].Events;
        Assert.True(outcomes[0].Cancelled);
        Assert.Equal(completed.Count, events.Count);
        var okInFile = events.Where(e => e.Status == EventStatus.Ok).ToList();
        Assert.True(okInFile.Count >= 10, $"only {okInFile.Count} requests completed");
        Assert.Equal(completed.Count(e => e.Status == EventStatus.Ok), okInFile.Count);
        // In-flight attempts at the stop are logged as cancelled, never as successes.
        Assert.All(events.Where(e => e.Status != EventStatus.Ok), e => Assert.Equal(EventStatus.Cancelled, e.Status));
        var fromFile = EventRollup.Rollup(events).Single();
        Assert.Equal(okInFile.Count, fromFile.Requests);
        var sorted = okInFile.Select(e => e.LatencyMs).Order().ToArray();
        // p95 by linear interpolation, computed here from the file's successful attempts.
        var h = (sorted.Length - 1) * 0.95;
        var lo = (int)Math.Floor(h);
        var expectedP95 = lo + 1 < sorted.Length ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
        Assert.Equal(expectedP95, fromFile.LatencyP95Ms!.Value, 3);
    }

    [Fact]
    public async Task Open_loop_sends_on_schedule_and_reports_the_achieved_rate()
    {
        var profile = new EmulatorProfile();
        // 30 warm-up requests go through the recording steps into sinks that keep nothing: not sent, not in the file.
        var settings = Harness.Settings(Harness.Synthetic(), new BenchLevel(LevelMode.Rate, 200)) with { RequestsPerLevel = 200, Warmup = 30 };

        var (outcomes, path) = await Harness.RunAsync(profile, settings);

        var level = outcomes.Single();
        Assert.Equal(200, level.Sent);
        Assert.Equal(200, level.Events.Count);
        var events = Harness.ReadEvents(path);
        Assert.Equal(200, events.Count);
        Assert.All(events, e => Assert.Equal(EventStatus.Ok, e.Status));
        // Achieved and scheduled rates agree when the client keeps up (lag is small against a 5 ms mean gap).
        Assert.InRange(level.AchievedRatePerSecond!.Value / level.ScheduledRatePerSecond!.Value, 0.9, 1.01);
        Assert.NotNull(level.ScheduleLagP99Ms);
    }

    [Fact]
    public async Task An_evaluator_fills_accepted_and_the_level_gets_a_contract_row()
    {
        var profile = new EmulatorProfile { Reply = "The answer is 42." };
        var settings = Harness.Settings(Harness.Synthetic(osl: 50), new BenchLevel(LevelMode.Concurrency, 2)) with
        {
            RequestsPerLevel = 4,
            Evaluator = new Evaluation.RegexEvaluator(@"\b42\b"),
        };

        var (outcomes, path) = await Harness.RunAsync(profile, settings);

        var events = Harness.ReadEvents(path);
        Assert.All(events, e => Assert.True(e.Accepted));
        Assert.All(events, e => Assert.Equal(4, e.OutputTokens));
        var summary = BenchSummaryBuilder.Build(settings, "http://127.0.0.1/v1", null, DateTimeOffset.UnixEpoch, outcomes, cancelled: false);
        var row = Assert.Single(summary.Rows);
        Assert.Equal(1.0, row.AcceptedOutputRate);
        Assert.Equal(2, row.Concurrency);
        Assert.Equal(4, row.Requests);
    }
}
