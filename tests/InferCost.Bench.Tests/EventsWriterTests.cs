using System.Text;
using InferCost.Bench.Client;
using InferCost.Core.Events;

namespace InferCost.Bench.Tests;

public sealed class EventsWriterTests
{
    private static RequestEvent Event(string id) => Harness.OkEvent(id, DateTimeOffset.UnixEpoch, 12.5) with { TtftMs = 1.25 };

    /// <summary>A stream that keeps what was written, readable at any moment (the "operating system" here).</summary>
    private sealed class RecordingStream : MemoryStream
    {
        private readonly object _gate = new();

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            lock (_gate)
            {
                base.Write(buffer);
            }
        }

        public string Text()
        {
            lock (_gate)
            {
                return Encoding.UTF8.GetString(GetBuffer(), 0, (int)Length);
            }
        }
    }

    private sealed class FailingStream : MemoryStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("disk full");
    }

    [Fact]
    public async Task Every_event_is_in_the_stream_when_its_write_completes_and_concurrent_lines_stay_whole()
    {
        var stream = new RecordingStream();
        var writer = new EventsJsonlWriter(stream);
        var missing = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 250; i++)
            {
                var id = $"w{worker}-{i}";
                await writer.WriteAsync(Event(id));
                if (!stream.Text().Contains($"\"requestId\":\"{id}\"", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref missing);
                }
            }
        })));

        Assert.Equal(0, missing);
        Assert.Equal(2000, writer.Written);
        var lines = stream.Text().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2000, lines.Length);
        Assert.Equal(2000, lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("requestId").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task A_failed_write_faults_that_write_and_every_later_one()
    {
        var writer = new EventsJsonlWriter(new FailingStream());

        await Assert.ThrowsAsync<IOException>(() => writer.WriteAsync(Event("a")));
        await Assert.ThrowsAsync<IOException>(() => writer.WriteAsync(Event("b")));
        Assert.Equal(0, writer.Written);
    }
}
