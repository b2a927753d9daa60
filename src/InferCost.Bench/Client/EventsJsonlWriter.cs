using System.Buffers;
using System.Globalization;
using System.Text.Json;
using InferCost.Core.Events;

namespace InferCost.Bench.Client;

/// <summary>Writes request events as JSON Lines in the shared event shape (camelCase keys, status
/// <c>ok | error | timeout | rate_limited | cancelled</c>, startedAt ISO 8601 UTC; null fields left out). Each
/// event is handed to the operating system before <see cref="WriteAsync"/> completes, so a killed run keeps every
/// completed event. Writes are group-committed: the caller that finds no write in progress writes its line itself;
/// lines that arrive while a write is in progress are gathered and written together by that same caller right after
/// (one system call for many events, no thread waits on a lock held across a system call). Thread-safe.</summary>
public sealed class EventsJsonlWriter : IDisposable
{
    [ThreadStatic]
    private static Encoder? t_encoder;

    private readonly object _gate = new();
    private readonly Stream _stream;
    private ArrayBufferWriter<byte> _pending = new(4096);
    private ArrayBufferWriter<byte> _spare = new(4096);
    private TaskCompletionSource? _pendingBatch;
    private int _pendingCount;
    private bool _writing;
    private Exception? _fault;
    private long _written;

    public EventsJsonlWriter(Stream stream)
    {
        _stream = stream;
    }

    /// <summary>Events handed to the operating system so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Writes one event and waits until it is handed to the operating system.</summary>
    public void Write(RequestEvent e) => WriteAsync(e).GetAwaiter().GetResult();

    /// <summary>Queues one event; the task completes once its line (with any gathered beside it) is handed to the
    /// operating system, and faults when that write fails.</summary>
    public Task WriteAsync(RequestEvent e)
    {
        var encoder = t_encoder ??= new Encoder();
        var line = encoder.Encode(e);
        ArrayBufferWriter<byte> batch;
        int count;
        lock (_gate)
        {
            if (_fault is not null)
            {
                return Task.FromException(_fault);
            }
            _pending.Write(line);
            _pendingCount++;
            if (_writing)
            {
                // A write is in progress; its writer picks these bytes up next.
                return (_pendingBatch ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
            _writing = true;
            batch = TakePending(out count, out _);
        }
        return WriteBatches(batch, count, null);
    }

    /// <summary>Writes the batch this caller took, then every batch gathered meanwhile, until none is left.</summary>
    private Task WriteBatches(ArrayBufferWriter<byte> batch, int count, TaskCompletionSource? waiters)
    {
        Task own = Task.CompletedTask;
        var first = true;
        while (true)
        {
            Exception? failure = null;
            try
            {
                _stream.Write(batch.WrittenSpan);
                _stream.Flush();
                Interlocked.Add(ref _written, count);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                failure = ex;
            }
            batch.ResetWrittenCount();
            if (failure is not null)
            {
                if (first)
                {
                    own = Task.FromException(failure);
                }
                waiters?.TrySetException(failure);
            }
            else
            {
                waiters?.TrySetResult();
            }
            first = false;
            lock (_gate)
            {
                _spare = batch;
                if (failure is not null)
                {
                    _fault = failure;
                }
                if (_pendingCount == 0 || _fault is not null)
                {
                    _writing = false;
                    var stranded = _pendingBatch;
                    _pendingBatch = null;
                    _pendingCount = 0;
                    _pending.ResetWrittenCount();
                    if (stranded is not null)
                    {
                        stranded.TrySetException(_fault!);
                    }
                    return own;
                }
                batch = TakePending(out count, out waiters);
            }
        }
    }

    /// <summary>Swaps the pending buffer out for the spare one. Called under the gate.</summary>
    private ArrayBufferWriter<byte> TakePending(out int count, out TaskCompletionSource? waiters)
    {
        var batch = _pending;
        _pending = _spare;
        _spare = null!;
        count = _pendingCount;
        _pendingCount = 0;
        waiters = _pendingBatch;
        _pendingBatch = null;
        return batch;
    }

    /// <summary>Per-thread serialiser, so lines are built outside the gate.</summary>
    private sealed class Encoder
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(1024);
        private readonly Utf8JsonWriter _json;

        public Encoder()
        {
            _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Indented = false, SkipValidation = false });
        }

        public ReadOnlySpan<byte> Encode(RequestEvent e)
        {
            _buffer.ResetWrittenCount();
            _json.Reset(_buffer);
            WriteEvent(_json, e);
            _json.Flush();
            _buffer.Write("\n"u8);
            return _buffer.WrittenSpan;
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

    /// <summary>Closes the stream. Call once every <see cref="WriteAsync"/> has completed.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stream.Dispose();
        }
    }
}
