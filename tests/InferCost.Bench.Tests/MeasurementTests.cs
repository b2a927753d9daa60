using System.Net;
using System.Text;
using InferCost.Bench.Client;
using InferCost.Core.Events;

namespace InferCost.Bench.Tests;

/// <summary>What the client measures (TTFT, latency, chunk gaps, TPOT), on a clock the test moves: a scripted
/// response whose every read advances a fake clock by a set number of milliseconds. The figures are then exact and
/// owe nothing to the machine's speed; how close the real client comes to a real server's timing is measured in
/// bench/http (client-added TTFT and schedule lag), not here.</summary>
public sealed class MeasurementTests
{
    /// <summary>A clock that stands still until the script moves it; one tick is a millisecond.</summary>
    private sealed class ScriptedClock : TimeProvider
    {
        private long _now = 1_000;

        public override long TimestampFrequency => 1000;

        public override long GetTimestamp() => Interlocked.Read(ref _now);

        public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero).AddMilliseconds(GetTimestamp());

        public void Advance(long ms) => Interlocked.Add(ref _now, ms);
    }

    /// <summary>A body that returns one scripted piece per read, moving the clock first.</summary>
    private sealed class ScriptedStream(ScriptedClock clock, IReadOnlyList<(long AfterMs, string Bytes)> steps, long endAfterMs) : Stream
    {
        private int _next;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_next == steps.Count)
            {
                if (_next++ == steps.Count)
                {
                    clock.Advance(endAfterMs);
                }
                return 0;
            }
            var (after, text) = steps[_next++];
            clock.Advance(after);
            var bytes = Encoding.UTF8.GetBytes(text);
            bytes.CopyTo(buffer);
            return bytes.Length;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class ScriptedHandler(ScriptedClock clock, long headersAfterMs, Func<Stream> body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            clock.Advance(headersAfterMs);
            var content = new StreamContent(body());
            content.Headers.ContentType = new("text/event-stream");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }
    }

    [Fact]
    public async Task Ttft_latency_chunk_gaps_and_tpot_are_the_scripted_times()
    {
        // Headers at 10 ms; a role-only chunk at 30 (no content: not the first token); content at 50, 70 and 100;
        // finish, usage and [DONE] at 110; the body ends at 115.
        var clock = new ScriptedClock();
        (long, string)[] steps =
        [
            (20, "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n"),
            (20, RawEndpointTests.Chunk("a")),
            (20, RawEndpointTests.Chunk(" b")),
            (30, RawEndpointTests.Chunk(" c")),
            (10, RawEndpointTests.Finish + RawEndpointTests.Usage(16, 3) + RawEndpointTests.Done),
        ];
        var handler = new ScriptedHandler(clock, headersAfterMs: 10, () => new ScriptedStream(clock, steps, endAfterMs: 5));
        using var client = new EndpointClient(new Uri("http://127.0.0.1:9/v1"), null, handler, clock);

        var result = await client.SendAsync("{}"u8.ToArray(), TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(ErrorClass.None, result.Error);
        Assert.Equal(50, result.TtftMs);
        Assert.Equal(115, result.LatencyMs);
        Assert.Equal([20.0, 30.0], result.ChunkGapsMs);
        Assert.Equal(3, result.ContentChunks);
        Assert.Equal("a b c", result.Text);

        // Through the runner: the event carries the same times, and TPOT = (115 − 50) ÷ (3 − 1) = 32.5 ms.
        var path = Path.Combine(Path.GetTempPath(), "infercost-bench-tests", Guid.NewGuid().ToString("N") + ".jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var settings = Harness.Settings(Harness.Synthetic(), new BenchLevel(LevelMode.Concurrency, 1)) with { RequestsPerLevel = 3 };
        IReadOnlyList<LevelOutcome> outcomes;
        using (var writer = new EventsJsonlWriter(File.Create(path)))
        {
            outcomes = await new BenchRunner(settings, client, writer, clock).RunAsync(null, CancellationToken.None);
        }
        var events = Harness.ReadEvents(path);
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Equal((EventStatus.Ok, 50.0, 115.0, 3L), (e.Status, e.TtftMs!.Value, e.LatencyMs, e.OutputTokens)));
        var summary = BenchSummaryBuilder.Build(settings, "http://127.0.0.1:9/v1", null, DateTimeOffset.UnixEpoch, outcomes, cancelled: false);
        Assert.Equal(32.5, summary.Levels[0].TpotP50Ms);
        Assert.Equal(25, summary.Levels[0].ChunkGapP50Ms); // gaps 20, 30 three times over: the median of 20,20,20,30,30,30
        Assert.Equal(30, summary.Levels[0].ChunkGapMaxMs);
    }
}
