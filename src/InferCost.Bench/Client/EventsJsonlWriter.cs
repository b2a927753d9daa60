using System.Buffers;
using System.Globalization;
using System.Text.Json;
using InferCost.Core.Events;

namespace InferCost.Bench.Client;

/// <summary>Writes request events as JSON Lines in the shared event shape (camelCase keys, status
/// <c>ok | error | timeout | rate_limited | cancelled</c>, startedAt ISO 8601 UTC; null fields left out), and
/// flushes each line to the operating system as it is written, so a killed run keeps every completed event.
/// Thread-safe.</summary>
public sealed class EventsJsonlWriter : IDisposable
{
    private readonly object _gate = new();
    private readonly Stream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;

    public EventsJsonlWriter(Stream stream)
    {
        _stream = stream;
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Indented = false, SkipValidation = false });
    }

    public long Written { get; private set; }

    public void Write(RequestEvent e)
    {
        lock (_gate)
        {
            _buffer.ResetWrittenCount();
            _json.Reset(_buffer);
            WriteEvent(_json, e);
            _json.Flush();
            _buffer.Write("\n"u8);
            _stream.Write(_buffer.WrittenSpan);
            _stream.Flush();
            Written++;
        }
    }

    internal static void WriteEvent(Utf8JsonWriter w, RequestEvent e)
    {
        w.WriteStartObject();
        w.WriteString("requestId", e.RequestId);
        w.WriteString("startedAt", e.StartedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        w.WriteNumber("latencyMs", Math.Round(e.LatencyMs, 3));
        w.WriteString("route", e.Route);
        w.WriteString("provider", e.Provider);
        w.WriteString("model", e.Model);
        w.WriteString("workload", e.Workload);
        w.WriteNumber("inputTokens", e.InputTokens);
        w.WriteNumber("cachedInputTokens", e.CachedInputTokens);
        w.WriteNumber("outputTokens", e.OutputTokens);
        if (e.ReasoningTokens is { } reasoning)
        {
            w.WriteNumber("reasoningTokens", reasoning);
        }
        if (e.TtftMs is { } ttft)
        {
            w.WriteNumber("ttftMs", Math.Round(ttft, 3));
        }
        w.WriteString("status", e.Status.ToWire());
        w.WriteNumber("attempt", e.Attempt);
        if (e.Accepted is { } accepted)
        {
            w.WriteBoolean("accepted", accepted);
        }
        if (e.CostUsd is { } cost)
        {
            w.WriteNumber("costUsd", cost);
        }
        if (e.Concurrency is { } concurrency)
        {
            w.WriteNumber("concurrency", concurrency);
        }
        if (e.RunId is { } runId)
        {
            w.WriteString("runId", runId);
        }
        w.WriteEndObject();
    }

    public void Dispose()
    {
        _json.Dispose();
        _stream.Dispose();
    }
}
