using InferCost.Bench.Client;
using InferCost.Bench.Emulator;
using InferCost.Core.Events;

namespace InferCost.Bench.Tests;

[Collection(TimingCollection.Name)]
public sealed class BenchAgainstEmulatorTests
{
    [Fact]
    public async Task Against_an_emulator_with_ttft_and_per_token_delays_every_attempt_is_ok_and_ordered()
    {
        // Exact timing arithmetic is MeasurementTests' (a scripted clock); accuracy against a real server is measured
        // in bench/http. Here, what holds on any machine: the counts, and that no figure is earlier than the
        // emulator's schedule allows: its deadlines are absolute from the request's arrival (first token at 50 ms, the
        // last at 50 + 5 × 20 = 150 ms; a late first token lets the later ones catch up), less a millisecond of timer
        // granularity.
        var profile = new EmulatorProfile { TtftMs = 50, MsPerToken = 20 };
        var settings = Harness.Settings(Harness.Synthetic(osl: 6), new BenchLevel(LevelMode.Concurrency, 1)) with { RequestsPerLevel = 5, Warmup = 1 };

        var (outcomes, path) = await Harness.RunAsync(profile, settings);

        var events = Harness.ReadEvents(path);
        Assert.Equal(5, events.Count);
        Assert.All(events, e => Assert.Equal(EventStatus.Ok, e.Status));
        Assert.All(events, e => Assert.Equal(6, e.OutputTokens));
        Assert.All(events, e => Assert.True(e.TtftMs >= 49 && e.LatencyMs >= 149, $"ttft {e.TtftMs}, latency {e.LatencyMs}"));
        Assert.Single(outcomes);
    }

    [Fact]
    public async Task A_429_with_Retry_After_1_is_retried_after_one_second()
    {
        // 60 rpm is one request per second: the second request, sent at once, is told to come back in 1 s. The wait
        // is recorded, then really waited (the emulator's bucket refills in real time); the assertion is on the
        // wait the runner asked for, not on how long the machine took to sleep it.
        var profile = new EmulatorProfile { RequestsPerMinute = 60 };
        var settings = Harness.Settings(Harness.Synthetic(), new BenchLevel(LevelMode.Concurrency, 1)) with { RequestsPerLevel = 2 };
        var waits = new List<TimeSpan>();

        var (_, path) = await Harness.RunAsync(profile, settings, delay: (wait, token) =>
        {
            lock (waits)
            {
                waits.Add(wait);
            }
            return Task.Delay(wait, token);
        });

        var events = Harness.ReadEvents(path);
        var second = events.Where(e => e.RequestId.EndsWith("-1", StringComparison.Ordinal)).OrderBy(e => e.Attempt).ToList();
        Assert.Equal(2, second.Count);
        Assert.Equal(EventStatus.RateLimited, second[0].Status);
        Assert.Equal(EventStatus.Ok, second[1].Status);
        Assert.Equal(2, second[1].Attempt);
        // The wait asked for: Retry-After's second plus at most 10 % jitter (the backoff alone would be ≤ 500 ms).
        Assert.InRange(Assert.Single(waits).TotalMilliseconds, 1000, 1100);
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
        // The scheduled rate is the seeded draw's own: 199 gaps between the 31st and the 230th arrival of the same
        // schedule drawn here. How closely the sends kept to it (achieved rate, lag) depends on the machine and is
        // measured in bench/http; here only that both were recorded.
        var schedule = new InferCost.Core.Simulation.ArrivalSchedule(new InferCost.Core.Simulation.RenewalArrivals(200, 1), settings.Seed);
        var times = Enumerable.Range(0, 230).Select(_ => schedule.NextSeconds()).ToArray();
        Assert.Equal(199 / (times[229] - times[30]), level.ScheduledRatePerSecond!.Value, 9);
        Assert.True(level.AchievedRatePerSecond > 0);
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
