using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace InferCost.Bench.Emulator;

/// <summary>Serves one chat-completions request the way the profile says: rate limits (429 + Retry-After),
/// injected faults, a queue beyond the concurrency limit, TTFT then one token per per-token time on absolute
/// deadlines (so timer lateness does not accumulate), usage with cached tokens. Thread-safe.</summary>
internal sealed class EmulatorHandler(EmulatorCore core, TimeProvider clock)
{
    private readonly SemaphoreSlim? _slots = core.Profile.MaxConcurrency > 0 ? new SemaphoreSlim(core.Profile.MaxConcurrency) : null;
    private readonly IReadOnlyList<string>? _reply = core.Profile.Reply is { } r ? EmulatorTokens.SplitReply(r) : null;
    private readonly long _origin = Stopwatch.GetTimestamp();
    private long _ids;
    private int _inService;

    public int InService => Volatile.Read(ref _inService);

    public async Task HandleAsync(HttpContext context)
    {
        var arrival = Stopwatch.GetTimestamp();
        var aborted = context.RequestAborted;
        if (core.Profile.ApiKey is { } key && context.Request.Headers.Authorization.ToString() != "Bearer " + key)
        {
            await WriteErrorAsync(context, 401, "invalid_api_key", "Missing or wrong API key.").ConfigureAwait(false);
            return;
        }
        ChatRequest? request;
        string? problem;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, aborted).ConfigureAwait(false);
            request = ChatRequest.Parse(document.RootElement, out problem);
        }
        catch (JsonException)
        {
            request = null;
            problem = "the body is not valid JSON";
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (request is null)
        {
            await WriteErrorAsync(context, 400, "invalid_request_error", problem!).ConfigureAwait(false);
            return;
        }

        var profile = core.Profile;
        var promptTokens = request.PromptTokenHashes.Count;
        var encoder = new ChunkEncoder(
            "chatcmpl-emu-" + Interlocked.Increment(ref _ids).ToString(CultureInfo.InvariantCulture),
            request.Model, clock.GetUtcNow().ToUnixTimeSeconds(), _reply);
        var wanted = request.MaxTokens ?? profile.OutputTokens;
        var outputTokens = encoder.OutputTokens(wanted);
        var finishReason = request.MaxTokens is { } max && outputTokens >= max ? "length" : "stop";

        var wait = core.Admit(Stopwatch.GetElapsedTime(_origin, arrival).TotalSeconds, promptTokens + wanted);
        if (wait > 0)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait)).ToString(CultureInfo.InvariantCulture);
            await WriteErrorAsync(context, 429, "rate_limit_exceeded", "Rate limit reached; retry after the time in Retry-After.").ConfigureAwait(false);
            return;
        }
        var plan = core.Plan(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(request.PromptTokenHashes));
        if (plan.Fault == FaultKind.ServerError)
        {
            await WriteErrorAsync(context, 500, "server_error", "Injected server error.").ConfigureAwait(false);
            return;
        }

        var queued = false;
        try
        {
            if (_slots is not null)
            {
                var slot = _slots.WaitAsync(aborted);
                queued = !slot.IsCompleted;
                await slot.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        var inService = Interlocked.Increment(ref _inService);
        try
        {
            // TTFT counts from arrival (parsing the body is part of it), or from admission after waiting in the queue.
            var started = queued ? Stopwatch.GetTimestamp() : arrival;
            var deadline = started + MsToTicks(profile.TtftMsAt(inService) * plan.TtftFactor);
            if (request.Stream)
            {
                await StreamAsync(context, request, encoder, plan, outputTokens, finishReason, promptTokens, deadline).ConfigureAwait(false);
            }
            else
            {
                await CompleteAsync(context, encoder, plan, outputTokens, finishReason, promptTokens, deadline).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away; nothing to answer.
        }
        catch (IOException)
        {
        }
        finally
        {
            Interlocked.Decrement(ref _inService);
            _slots?.Release();
        }
    }

    private async Task StreamAsync(HttpContext context, ChatRequest request, ChunkEncoder encoder, RequestPlan plan,
        int outputTokens, string finishReason, int promptTokens, long deadline)
    {
        var profile = core.Profile;
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var paced = profile.TtftMs > 0 || profile.MsPerToken > 0 || profile.Measured is not null || plan.Fault != null;
        if (!paced)
        {
            await StreamAtOnceAsync(context, request, encoder, outputTokens, finishReason, promptTokens, plan.CachedTokens).ConfigureAwait(false);
            return;
        }
        var aborted = context.RequestAborted;
        var body = response.BodyWriter;
        encoder.WriteRole(body);
        var half = outputTokens / 2;
        for (var i = 0; i < outputTokens; i++)
        {
            if (i == half && plan.Fault == FaultKind.Cut)
            {
                await body.FlushAsync(aborted).ConfigureAwait(false);
                await CutAsync(context).ConfigureAwait(false);
                return;
            }
            if (i > 0)
            {
                deadline += MsToTicks(profile.MsPerTokenAt(Volatile.Read(ref _inService)) * plan.TokenTimeFactor);
            }
            if (i == half && plan.Fault == FaultKind.Stall)
            {
                deadline += MsToTicks(profile.StallMs);
            }
            await WaitUntilAsync(deadline, aborted).ConfigureAwait(false);
            encoder.WriteToken(body, i);
            await body.FlushAsync(aborted).ConfigureAwait(false);
        }
        if (outputTokens == 0 && plan.Fault == FaultKind.Cut)
        {
            context.Abort();
            return;
        }
        WriteEnd(body, request, encoder, outputTokens, finishReason, promptTokens, plan.CachedTokens);
        await body.FlushAsync(aborted).ConfigureAwait(false);
    }

    /// <summary>No delay and no fault: every event is due now, so the whole stream (the same events, one per token)
    /// is built in one pooled buffer and handed to Kestrel in one write instead of one small write per event.</summary>
    private static async Task StreamAtOnceAsync(HttpContext context, ChatRequest request, ChunkEncoder encoder,
        int outputTokens, string finishReason, int promptTokens, int cachedTokens)
    {
        using var buffer = new PooledBufferWriter(encoder.EstimateStreamBytes(outputTokens));
        encoder.WriteRole(buffer);
        for (var i = 0; i < outputTokens; i++)
        {
            encoder.WriteToken(buffer, i);
        }
        WriteEnd(buffer, request, encoder, outputTokens, finishReason, promptTokens, cachedTokens);
        await context.Response.BodyWriter.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private static void WriteEnd(System.Buffers.IBufferWriter<byte> output, ChatRequest request, ChunkEncoder encoder,
        int outputTokens, string finishReason, int promptTokens, int cachedTokens)
    {
        encoder.WriteFinish(output, finishReason);
        if (request.IncludeUsage)
        {
            encoder.WriteUsage(output, promptTokens, outputTokens, cachedTokens);
        }
        ChunkEncoder.WriteDone(output);
    }

    private async Task CompleteAsync(HttpContext context, ChunkEncoder encoder, RequestPlan plan,
        int outputTokens, string finishReason, int promptTokens, long deadline)
    {
        var profile = core.Profile;
        for (var i = 1; i < outputTokens; i++)
        {
            deadline += MsToTicks(profile.MsPerTokenAt(Volatile.Read(ref _inService)) * plan.TokenTimeFactor);
            if (plan.Fault == FaultKind.Cut && i == outputTokens / 2)
            {
                await WaitUntilAsync(deadline, context.RequestAborted).ConfigureAwait(false);
                context.Abort();
                return;
            }
        }
        if (plan.Fault == FaultKind.Stall)
        {
            deadline += MsToTicks(profile.StallMs);
        }
        await WaitUntilAsync(deadline, context.RequestAborted).ConfigureAwait(false);
        if (plan.Fault == FaultKind.Cut)
        {
            context.Abort();
            return;
        }
        var bytes = encoder.Completion(outputTokens, finishReason, promptTokens, plan.CachedTokens);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Drops the connection. A reset makes the peer's kernel discard bytes the client has not read yet,
    /// so the cut waits 20 ms first: the client then sees the half response it was sent, then the break.</summary>
    private static async Task CutAsync(HttpContext context)
    {
        await Task.Delay(20, context.RequestAborted).ConfigureAwait(false);
        context.Abort();
    }

    private static long MsToTicks(double ms) => (long)(ms * Stopwatch.Frequency / 1000.0);

    /// <summary>Waits until a Stopwatch timestamp. Timers fire up to a millisecond late, so while few requests are
    /// in service the wait sleeps to within two milliseconds and yields for the rest (cheap then, and it keeps TTFT
    /// exact); under load it only sleeps. Deadlines are absolute, so lateness never accumulates over tokens.</summary>
    private ValueTask WaitUntilAsync(long deadline, CancellationToken cancellationToken) =>
        WaitUntilAsync(deadline, Volatile.Read(ref _inService) <= Environment.ProcessorCount, cancellationToken);

    internal static async ValueTask WaitUntilAsync(long deadline, bool spin, CancellationToken cancellationToken)
    {
        var remaining = deadline - Stopwatch.GetTimestamp();
        var oneMs = Stopwatch.Frequency / 1000;
        var margin = spin ? 2 * oneMs : 0;
        if (remaining > margin)
        {
            await Task.Delay(TimeSpan.FromTicks((remaining - margin) * TimeSpan.TicksPerSecond / Stopwatch.Frequency), cancellationToken).ConfigureAwait(false);
        }
        while (spin && Stopwatch.GetTimestamp() < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
        }
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string type, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = JsonSerializer.SerializeToUtf8Bytes(new ErrorBody(new ErrorDetail(message, type, type)));
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private sealed record ErrorBody(ErrorDetail error);

    private sealed record ErrorDetail(string message, string type, string code);
}
