using System.Collections.Concurrent;
using System.Text;
using InferCost.Bench.Client;
using InferCost.Core.Events;
using InferCost.TestServers;

namespace InferCost.Bench.Tests;

/// <summary>The client and runner against endpoints that misbehave byte for byte (a raw loopback server). Retry waits
/// go to a recorder that returns at once, so what the tests assert is the wait the runner asked for, never how fast
/// the machine slept.</summary>
public sealed class RawEndpointTests
{
    internal static string Chunk(string content) =>
        "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":" +
        System.Text.Json.JsonSerializer.Serialize(content) + "},\"finish_reason\":null}]}\n\n";

    internal const string Finish = "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
    internal const string Done = "data: [DONE]\n\n";

    internal static string Usage(long prompt, long completion) =>
        $"data: {{\"id\":\"c\",\"choices\":[],\"usage\":{{\"prompt_tokens\":{prompt},\"completion_tokens\":{completion}}}}}\n\n";

    /// <summary>A well-formed stream: "hello world", finish, usage 16/2, [DONE].</summary>
    internal static async Task GoodStreamAsync(RawExchange x)
    {
        await x.StartStreamAsync();
        await x.WriteAsync(Chunk("hello") + Chunk(" world") + Finish + Usage(16, 2) + Done);
    }

    private sealed record Run(IReadOnlyList<LevelOutcome> Outcomes, List<RequestEvent> Events, List<TimeSpan> Waits);

    private static async Task<Run> RunAsync(RawHttpServer server, BenchSettings settings)
    {
        var path = Path.Combine(Path.GetTempPath(), "infercost-bench-tests", Guid.NewGuid().ToString("N"), "events.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var waits = new ConcurrentQueue<TimeSpan>();
        using var client = new EndpointClient(new Uri(server.Endpoint), apiKey: null);
        IReadOnlyList<LevelOutcome> outcomes;
        using (var writer = new EventsJsonlWriter(File.Create(path)))
        {
            var runner = new BenchRunner(settings, client, writer, TimeProvider.System, (wait, _) =>
            {
                waits.Enqueue(wait);
                return Task.CompletedTask;
            });
            outcomes = await runner.RunAsync(null, CancellationToken.None);
        }
        return new Run(outcomes, Harness.ReadEvents(path), waits.ToList());
    }

    private static BenchSettings Settings(long requests, int maxRetries = 0, double timeoutMs = 20_000, double capMs = 30_000) =>
        Harness.Settings(Harness.Synthetic(), new BenchLevel(LevelMode.Concurrency, 1)) with
        {
            RequestsPerLevel = requests,
            Retry = new RetryPolicy(maxRetries, BaseMs: 100, CapMs: capMs),
            TimeoutMs = timeoutMs,
        };

    [Fact]
    public async Task An_invalid_utf8_chunk_is_a_malformed_attempt_and_the_run_goes_on()
    {
        // Request 0 gets content bytes FF FE (no UTF-8 sequence starts with them); requests 1 and 2 a good stream.
        await using var server = new RawHttpServer(async x =>
        {
            if (x.Request.Index != 0)
            {
                await GoodStreamAsync(x);
                return;
            }
            await x.StartStreamAsync();
            await x.WriteAsync(Encoding.ASCII.GetBytes("data: {\"choices\":[{\"delta\":{\"content\":\"")
                .Concat(new byte[] { 0xFF, 0xFE }).Concat(Encoding.ASCII.GetBytes("\"}}]}\n\n" + Finish + Done)).ToArray());
        });

        var run = await RunAsync(server, Settings(3));

        Assert.Equal(3, run.Events.Count);
        Assert.Equal(EventStatus.Error, run.Events.Single(e => e.RequestId.EndsWith("-0", StringComparison.Ordinal)).Status);
        Assert.Equal(2, run.Events.Count(e => e.Status == EventStatus.Ok));
        Assert.Equal(1, run.Outcomes[0].ErrorsByClass["malformed_response"]);
    }

    [Fact]
    public async Task Negative_usage_is_an_implausible_usage_error_whose_tokens_are_counted_from_the_text()
    {
        await using var server = new RawHttpServer(async x =>
        {
            await x.StartStreamAsync();
            await x.WriteAsync(Chunk("hello") + Chunk(" world") + Finish + Usage(-5, -3) + Done);
        });

        var run = await RunAsync(server, Settings(2));

        Assert.Equal(2, run.Events.Count);
        Assert.All(run.Events, e => Assert.Equal(EventStatus.Error, e.Status));
        // "hello world" is two o200k tokens; the synthetic prompt's 16 one-token words are 16.
        Assert.All(run.Events, e => Assert.Equal(2, e.OutputTokens));
        Assert.All(run.Events, e => Assert.Equal(16, e.InputTokens));
        Assert.Equal(2, run.Outcomes[0].ErrorsByClass["implausible_usage"]);
    }

    [Theory]
    [InlineData("\"prompt_tokens\":10,\"completion_tokens\":2,\"prompt_tokens_details\":{\"cached_tokens\":11}")]
    [InlineData("\"prompt_tokens\":10,\"completion_tokens\":2,\"completion_tokens_details\":{\"reasoning_tokens\":3}")]
    [InlineData("\"prompt_tokens\":10,\"completion_tokens\":1e30")]
    [InlineData("\"prompt_tokens\":10,\"completion_tokens\":2.5")]
    [InlineData("\"prompt_tokens\":10000000000,\"completion_tokens\":2")]
    public void Usage_that_import_would_refuse_or_no_request_produces_is_implausible(string usage)
    {
        var fields = default(ChunkFields);
        Assert.True(ChunkReader.TryRead(Encoding.UTF8.GetBytes("{\"choices\":[],\"usage\":{" + usage + "}}"), ref fields, null));
        Assert.NotNull(UsageCheck.Problem(fields));
    }

    [Fact]
    public void Believable_usage_passes()
    {
        var fields = default(ChunkFields);
        Assert.True(ChunkReader.TryRead("""{"usage":{"prompt_tokens":10,"completion_tokens":2,"prompt_tokens_details":{"cached_tokens":10},"completion_tokens_details":{"reasoning_tokens":2}}}"""u8, ref fields, null));
        Assert.Null(UsageCheck.Problem(fields));
    }

    [Fact]
    public async Task Retry_after_3600_waits_the_cap_and_is_counted_as_capped()
    {
        await using var server = new RawHttpServer(async x =>
        {
            if (x.Request.Index == 0)
            {
                await x.RespondAsync(429, "application/json", "{}", "Retry-After: 3600");
                return;
            }
            await GoodStreamAsync(x);
        });

        var run = await RunAsync(server, Settings(1, maxRetries: 1, capMs: 2_000));

        Assert.Equal([TimeSpan.FromMilliseconds(2_000)], run.Waits);
        Assert.Equal(1, run.Outcomes[0].RetryAfterCapped);
        Assert.Equal(3600, run.Outcomes[0].LongestCappedRetryAfterSeconds);
        Assert.Equal([EventStatus.RateLimited, EventStatus.Ok], run.Events.OrderBy(e => e.Attempt).Select(e => e.Status));
    }

    [Fact]
    public async Task Retry_after_as_an_http_date_waits_from_the_servers_date_header()
    {
        // The server's clock says 19:00:00 and asks for 19:00:04: four seconds, whatever the client's clock says.
        await using var server = new RawHttpServer(async x =>
        {
            if (x.Request.Index == 0)
            {
                await x.RespondAsync(429, "application/json", "{}", "Date: Fri, 04 Dec 2026 19:00:00 GMT", "Retry-After: Fri, 04 Dec 2026 19:00:04 GMT");
                return;
            }
            await GoodStreamAsync(x);
        });

        var run = await RunAsync(server, Settings(1, maxRetries: 1));

        var wait = Assert.Single(run.Waits).TotalMilliseconds;
        Assert.InRange(wait, 4000, 4400); // the asked-for time plus at most 10 % jitter
        Assert.Equal(0, run.Outcomes[0].RetryAfterCapped);
        Assert.Equal(2, run.Events.Count);
    }

    [Fact]
    public void Retry_after_reads_both_forms_and_the_vendor_milliseconds()
    {
        var now = new DateTimeOffset(2026, 12, 4, 19, 0, 0, TimeSpan.Zero);
        Assert.Equal(120, RetryAfter.Seconds(new(TimeSpan.FromSeconds(120)), null, null, now));
        Assert.Equal(30, RetryAfter.Seconds(new(now.AddSeconds(30)), null, null, now));
        Assert.Equal(10, RetryAfter.Seconds(new(now.AddSeconds(30)), now.AddSeconds(20), null, now)); // server's Date wins
        Assert.Equal(0, RetryAfter.Seconds(new(now.AddSeconds(-30)), null, null, now));              // a past date: now
        Assert.Equal(1.5, RetryAfter.Seconds(null, null, ["1500"], now));
        Assert.Null(RetryAfter.Seconds(null, null, ["soon"], now));
        Assert.Null(RetryAfter.Seconds(null, null, null, now));
    }

    [Theory]
    [InlineData(3600.0, 30_000.0, true)]      // an hour: cut to the cap
    [InlineData(1e12, 30_000.0, true)]        // a date centuries ahead: cut, not an overflow
    [InlineData(1.0, 1100.0, false)]          // under the cap: the asked time plus u × 10 % (u = 1)
    public void No_wait_exceeds_the_cap_whatever_retry_after_says(double seconds, double expectedMs, bool capped)
    {
        var (ms, wasCapped) = new RetryPolicy(2).Delay(1, seconds, 1.0);
        Assert.Equal(expectedMs, ms, 6);
        Assert.Equal(capped, wasCapped);
    }

    [Fact]
    public async Task A_body_that_drips_past_the_timeout_is_a_timeout_at_the_deadline()
    {
        // Headers at once, then a byte every 50 ms for ever: only the attempt's own deadline ends it.
        await using var server = new RawHttpServer(async x =>
        {
            await x.StartStreamAsync();
            await x.WriteAsync(Chunk("a"));
            while (!x.Stopping.IsCancellationRequested)
            {
                await x.WriteAsync(": \n");
                await Task.Delay(50, x.Stopping);
            }
        });

        var run = await RunAsync(server, Settings(1, timeoutMs: 300));

        var e = Assert.Single(run.Events);
        Assert.Equal(EventStatus.Timeout, e.Status);
        // The drip never ends, so the Timeout status is the deadline at work. Not before it, less the runtime timer's
        // granularity (it counts Environment.TickCount64's whole milliseconds, seen up to 1.5 ms before a Stopwatch
        // says 300). No upper bound: how late a loaded machine delivers the timer is not this client's doing.
        Assert.True(e.LatencyMs >= 295, $"ended after {e.LatencyMs} ms, before its deadline");
    }

    [Fact]
    public async Task A_one_megabyte_one_word_reply_without_usage_is_counted_and_recorded()
    {
        // 1 MiB of 'a' in 1,024 chunks and no usage block: counted with o200k_base, piece by piece.
        var piece = new string('a', 1024);
        await using var server = new RawHttpServer(async x =>
        {
            await x.StartStreamAsync();
            var body = new StringBuilder();
            for (var i = 0; i < 1024; i++)
            {
                body.Append(Chunk(piece));
            }
            await x.WriteAsync(body + Finish + Done);
        });

        // A hang guard, not a speed bound: counted as one word this took minutes (quadratic); in pieces, about a second.
        var run = await RunAsync(server, Settings(1, timeoutMs: 120_000)).WaitAsync(TimeSpan.FromSeconds(60));

        var e = Assert.Single(run.Events);
        Assert.Equal(EventStatus.Ok, e.Status);
        // o200k_base merges runs of 'a' into tokens of up to 8 letters ("aaaaaaaa"): 2^20 / 8 when every 512-letter
        // piece splits evenly, which it does.
        Assert.Equal((1 << 20) / 8, e.OutputTokens);
    }

    [Fact]
    public void The_breaker_opens_on_the_threshold_th_consecutive_connection_failure_and_any_response_resets_it()
    {
        using var breaker = new ConnectionBreaker(20);
        for (var i = 0; i < 19; i++)
        {
            breaker.Record(ErrorClass.Connection);
        }
        breaker.Record(ErrorClass.ServerError); // a 5xx is a response: the endpoint is there
        for (var i = 0; i < 19; i++)
        {
            breaker.Record(ErrorClass.Connection);
        }
        breaker.Record(ErrorClass.Cancelled);   // says nothing about the endpoint
        Assert.False(breaker.IsOpen);
        Assert.False(breaker.Tripped.IsCancellationRequested);

        breaker.Record(ErrorClass.Connection);

        Assert.True(breaker.IsOpen);
        Assert.True(breaker.Tripped.IsCancellationRequested);
        Assert.Equal("the last 20 attempts all failed to connect", breaker.Reason);
    }

    [Theory]
    [InlineData(LevelMode.Concurrency, 1, 20)]
    [InlineData(LevelMode.Concurrency, 64, 128)]  // 2 × concurrency
    [InlineData(LevelMode.Rate, 5, 20)]
    [InlineData(LevelMode.Rate, 100.2, 201)]      // ⌈2 s × rate⌉
    public void The_threshold_is_20_or_two_rounds_of_the_levels_load(LevelMode mode, double value, int expected)
    {
        using var breaker = ConnectionBreaker.For(new BenchLevel(mode, value));
        Assert.Equal(expected, breaker.Threshold);
    }

    /// <summary>Five good replies, then the server is gone (listener closed, connections dropped): every later
    /// connect is refused.</summary>
    private static RawHttpServer DyingServer()
    {
        RawHttpServer? self = null;
        var served = 0;
        var allServed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        self = new RawHttpServer(async x =>
        {
            if (x.Request.Index >= 5)
            {
                // Die once the five good replies are all written, so none of them is cut by the crash.
                await allServed.Task;
                self!.Kill();
                x.Reset();
                return;
            }
            await GoodStreamAsync(x);
            if (Interlocked.Increment(ref served) == 5)
            {
                allServed.SetResult();
            }
        });
        return self;
    }

    [Fact]
    public async Task An_endpoint_that_dies_mid_run_stops_the_level_after_exactly_20_failed_connects_at_concurrency_1()
    {
        await using var server = DyingServer();
        var settings = Harness.Settings(Harness.Synthetic(), new BenchLevel(LevelMode.Concurrency, 1), new BenchLevel(LevelMode.Concurrency, 2)) with
        {
            RequestsPerLevel = 3000,
            Retry = new RetryPolicy(MaxRetries: 2, BaseMs: 100),
        };

        var run = await RunAsync(server, settings).WaitAsync(TimeSpan.FromSeconds(60)); // a hang guard only

        var level = Assert.Single(run.Outcomes); // the second level is not run
        Assert.Equal("the last 20 attempts all failed to connect", level.StoppedReason);
        Assert.Equal(level.Events.Count, run.Events.Count);
        Assert.Equal(5, run.Events.Count(e => e.Status == EventStatus.Ok));
        Assert.Equal(20, level.ErrorsByClass["connection"]);
        Assert.Single(level.ErrorsByClass);
        // Requests 5–10 with three attempts each are 18; request 11's second attempt is the 20th: nothing after it.
        Assert.Equal("test-c1-11", run.Events[^1].RequestId);
        Assert.Equal(2, run.Events[^1].Attempt);
    }

    [Fact]
    public async Task An_endpoint_that_dies_mid_run_stops_a_level_of_four_workers_too()
    {
        await using var server = DyingServer();
        var settings = Harness.Settings(Harness.Synthetic(), new BenchLevel(LevelMode.Concurrency, 4)) with
        {
            RequestsPerLevel = 3000,
            Retry = new RetryPolicy(MaxRetries: 2, BaseMs: 100),
        };

        var run = await RunAsync(server, settings).WaitAsync(TimeSpan.FromSeconds(60)); // a hang guard only

        var level = Assert.Single(run.Outcomes);
        Assert.Equal("the last 20 attempts all failed to connect", level.StoppedReason);
        Assert.Equal(level.Events.Count, run.Events.Count);
        Assert.Equal(5, run.Events.Count(e => e.Status == EventStatus.Ok));
        // At least the 20 of the rule; replies arriving out of order around the crash can reset the count once or
        // twice, but nowhere near the 9,000 attempts the level would otherwise send at the dead port.
        Assert.InRange(level.ErrorsByClass["connection"], 20, 200);
    }

    [Fact]
    public async Task An_endpoint_that_dies_mid_run_stops_an_open_loop_level_too()
    {
        // 100 req/s for 3,000 requests would send at the dead port for 30 s; the pacer stops once the breaker opens.
        await using var server = DyingServer();
        var settings = Harness.Settings(Harness.Synthetic(), new BenchLevel(LevelMode.Rate, 100)) with { RequestsPerLevel = 3000 };

        var run = await RunAsync(server, settings).WaitAsync(TimeSpan.FromSeconds(60)); // a hang guard only

        var level = Assert.Single(run.Outcomes);
        Assert.Equal("the last 200 attempts all failed to connect", level.StoppedReason);
        Assert.Equal(5, run.Events.Count(e => e.Status == EventStatus.Ok));
        Assert.True(level.Sent < 3000, $"{level.Sent} sent");
        Assert.True(level.ErrorsByClass["connection"] >= 200);
    }
}
