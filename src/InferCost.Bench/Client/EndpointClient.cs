using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace InferCost.Bench.Client;

/// <summary>Sends chat-completions requests to one OpenAI-compatible endpoint over a pooled
/// <see cref="SocketsHttpHandler"/> and measures each attempt: TTFT (first chunk carrying content), chunk gaps,
/// latency to the last byte, usage. Never throws for what the server or network does: every failure comes back
/// classified. The API key is held only in the Authorization header value. Thread-safe.</summary>
public sealed class EndpointClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpMessageInvoker _http;
    private readonly Uri _completions;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly TimeProvider _clock;

    /// <summary>The most response bytes one attempt keeps (a whole body, or a stream's content): past it the
    /// attempt is malformed, so an endpoint that never stops sending cannot fill the memory.</summary>
    internal const int MaxResponseBytes = 64 << 20;

    /// <param name="endpoint">The API root (…/v1) or the full …/chat/completions URL.</param>
    /// <param name="apiKey">Sent as a bearer token; never logged.</param>
    public EndpointClient(Uri endpoint, string? apiKey, int maxConnections = int.MaxValue)
        : this(endpoint, apiKey, NewHandler(maxConnections), TimeProvider.System)
    {
    }

    /// <param name="handler">The HTTP stack (tests pass one that plays a scripted response).</param>
    /// <param name="clock">Timestamps of every measurement and "now" for a Retry-After date.</param>
    internal EndpointClient(Uri endpoint, string? apiKey, HttpMessageHandler handler, TimeProvider clock)
    {
        _completions = CompletionsUri(endpoint);
        _authorization = string.IsNullOrEmpty(apiKey) ? null : new AuthenticationHeaderValue("Bearer", apiKey);
        _clock = clock;
        // The handler without HttpClient: HttpClient adds a timeout and a linked cancellation source per request,
        // and this client times each attempt itself.
        _http = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    private static SocketsHttpHandler NewHandler(int maxConnections) => new()
    {
        MaxConnectionsPerServer = maxConnections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        UseProxy = false,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        // No trace headers on requests to someone else's API (and no diagnostics stage per request).
        ActivityHeadersPropagator = null,
    };

    public Uri CompletionsAddress => _completions;

    /// <summary>…/v1 → …/v1/chat/completions; a URL already ending in /chat/completions is kept.</summary>
    public static Uri CompletionsUri(Uri endpoint)
    {
        var text = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
        if (text.EndsWith("/chat/completions", StringComparison.OrdinalIgnoreCase))
        {
            return new Uri(endpoint.ToString());
        }
        if (!text.EndsWith("/v1", StringComparison.OrdinalIgnoreCase))
        {
            text += "/v1";
        }
        return new Uri(text + "/chat/completions" + endpoint.Query);
    }

    /// <param name="body">The request JSON.</param>
    /// <param name="timeout">Limit for the whole attempt: connecting, the headers, every byte of the body, and
    /// counting the reply's tokens when the endpoint sent no usage; null = none.</param>
    /// <param name="runToken">Cancels the run: in-flight attempts end as <see cref="ErrorClass.Cancelled"/>.</param>
    public async Task<AttemptResult> SendAsync(ReadOnlyMemory<byte> body, TimeSpan? timeout, CancellationToken runToken)
    {
        // The attempt's clock starts before its deadline is set, so a timed-out attempt never reads as shorter
        // than its limit (up to the runtime timer's own coarseness).
        var sink = new StreamSink(_clock);
        // A linked source only when there is a limit to enforce.
        using var attemptCts = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(runToken);
        attemptCts?.CancelAfter(timeout!.Value);
        var token = attemptCts?.Token ?? runToken;
        int? status = null;
        var gotHeaders = false;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _completions)
            {
                Content = new ReadOnlyMemoryContent(body) { Headers = { ContentType = Json } },
                Version = HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            };
            request.Headers.Authorization = _authorization;
            // The invoker hands the response back once its headers are in; the body is read as a stream below.
            using var response = await _http.SendAsync(request, token).ConfigureAwait(false);
            gotHeaders = true;
            status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                var retryAfter = RetryAfter.Seconds(response.Headers, _clock.GetUtcNow());
                // Drain a bounded part of the body so the connection can be reused.
                await DrainAsync(response, token).ConfigureAwait(false);
                var error = status == 429 ? ErrorClass.RateLimited : status >= 500 ? ErrorClass.ServerError : ErrorClass.ClientError;
                return sink.Result(_clock.GetTimestamp(), error, status, retryAfter);
            }
            var isStream = response.Content.Headers.ContentType?.MediaType?.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase) == true;
            var stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var error = isStream
                    ? await sink.ReadStreamAsync(stream, token).ConfigureAwait(false)
                    : await sink.ReadWholeAsync(stream, token).ConfigureAwait(false);
                var end = _clock.GetTimestamp();
                if (error == ErrorClass.None && sink.UsageProblem() is not null)
                {
                    error = ErrorClass.ImplausibleUsage;
                }
                return sink.Counted(sink.Result(end, error, status, null), token, runToken);
            }
        }
        catch (OperationCanceledException) when (runToken.IsCancellationRequested)
        {
            return sink.Counted(sink.Result(_clock.GetTimestamp(), ErrorClass.Cancelled, status, null), CancellationToken.None, runToken);
        }
        catch (OperationCanceledException)
        {
            return sink.Counted(sink.Result(_clock.GetTimestamp(), ErrorClass.Timeout, status, null), CancellationToken.None, runToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            var error = gotHeaders ? ErrorClass.StreamCut : ErrorClass.Connection;
            return sink.Counted(sink.Result(_clock.GetTimestamp(), error, status, null), token, runToken);
        }
    }

    private static async Task DrainAsync(HttpResponseMessage response, CancellationToken token)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
            var total = 0;
            int read;
            while (total < 65536 && (read = await stream.ReadAsync(buffer, token).ConfigureAwait(false)) > 0)
            {
                total += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Collects what the body carries, chunk by chunk. Not thread-safe (one per attempt).</summary>
    private sealed class StreamSink(TimeProvider clock) : ISseSink
    {
        private readonly long _start = clock.GetTimestamp();
        private readonly ArrayBufferWriter<byte> _text = new(256);
        private readonly List<double> _gaps = [];
        private readonly ChunkReader.HeaderMemo _header = new();
        private ChunkFields _fields;
        private long _readTimestamp;
        private long _firstContent;
        private long _lastContent;
        private int _contentChunks;
        private bool _done;
        private bool _malformed;

        public async Task<ErrorClass> ReadStreamAsync(Stream stream, CancellationToken token)
        {
            var parser = new SseParser(MaxResponseBytes);
            var buffer = ArrayPool<byte>.Shared.Rent(16384);
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer, token).ConfigureAwait(false)) > 0)
                {
                    _readTimestamp = clock.GetTimestamp();
                    parser.Feed(buffer.AsSpan(0, read), this);
                    if (parser.Overflowed || _text.WrittenCount > MaxResponseBytes)
                    {
                        return ErrorClass.Malformed;
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            if (_fields.Error)
            {
                return ErrorClass.StreamError;
            }
            if (_malformed || (parser.ForeignLines > 0 && _contentChunks == 0 && !_done))
            {
                return ErrorClass.Malformed;
            }
            return _done || _fields.Finished ? ErrorClass.None : ErrorClass.StreamCut;
        }

        public async Task<ErrorClass> ReadWholeAsync(Stream stream, CancellationToken token)
        {
            var body = new ArrayBufferWriter<byte>(4096);
            int read;
            while ((read = await stream.ReadAsync(body.GetMemory(4096), token).ConfigureAwait(false)) > 0)
            {
                body.Advance(read);
                if (body.WrittenCount > MaxResponseBytes)
                {
                    return ErrorClass.Malformed;
                }
            }
            _readTimestamp = clock.GetTimestamp();
            if (!ChunkReader.TryRead(body.WrittenSpan, ref _fields, _text))
            {
                return ErrorClass.Malformed;
            }
            if (_fields.Error)
            {
                return ErrorClass.StreamError;
            }
            return _fields.Finished || _fields.CompletionTokens is not null ? ErrorClass.None : ErrorClass.Malformed;
        }

        public void OnData(ReadOnlySpan<byte> data)
        {
            if (data.SequenceEqual("[DONE]"u8))
            {
                _done = true;
                return;
            }
            var before = _fields.ContentBytes;
            if (!ChunkReader.TryRead(data, ref _fields, _text, _header))
            {
                _malformed = true;
                return;
            }
            if (_fields.ContentBytes > before)
            {
                _contentChunks++;
                if (_firstContent == 0)
                {
                    _firstContent = _readTimestamp;
                }
                else if (_readTimestamp != _lastContent)
                {
                    _gaps.Add(clock.GetElapsedTime(_lastContent, _readTimestamp).TotalMilliseconds);
                }
                _lastContent = _readTimestamp;
            }
        }

        /// <summary>Why the usage block cannot be believed, or null (none sent counts as believable).</summary>
        public string? UsageProblem() => UsageCheck.Problem(_fields);

        public AttemptResult Result(long end, ErrorClass error, int? status, double? retryAfter)
        {
            // Usage that cannot be believed is not reported: the attempt's tokens are then counted from the text.
            var usage = UsageCheck.Problem(_fields) is null;
            return new()
            {
                StartTimestamp = _start,
                LatencyMs = clock.GetElapsedTime(_start, end).TotalMilliseconds,
                TtftMs = _firstContent != 0 ? clock.GetElapsedTime(_start, _firstContent).TotalMilliseconds : null,
                Error = error,
                HttpStatus = status,
                PromptTokens = usage ? _fields.PromptTokens : null,
                CompletionTokens = usage ? _fields.CompletionTokens : null,
                CachedTokens = usage ? _fields.CachedTokens : null,
                ReasoningTokens = usage ? _fields.ReasoningTokens : null,
                Text = _text.WrittenCount == 0 ? string.Empty : Encoding.UTF8.GetString(_text.WrittenSpan),
                ContentChunks = _contentChunks,
                ChunkGapsMs = _gaps,
                RetryAfterSeconds = retryAfter,
            };
        }

        /// <summary>Counts the reply's tokens when the endpoint sent no usable count, within the attempt's time:
        /// when <paramref name="token"/> fires first, the attempt is a timeout (or cancelled) that ended then.</summary>
        public AttemptResult Counted(AttemptResult result, CancellationToken token, CancellationToken runToken)
        {
            if ((result.CompletionTokens is not null && result.PromptTokens is not null) || result.Text.Length == 0)
            {
                return result;
            }
            var count = TokenCounter.Count(result.Text, token, out var complete);
            if (complete)
            {
                return result with { CountedOutputTokens = count };
            }
            return result with
            {
                CountedOutputTokens = count,
                Error = runToken.IsCancellationRequested ? ErrorClass.Cancelled : ErrorClass.Timeout,
                LatencyMs = clock.GetElapsedTime(_start, clock.GetTimestamp()).TotalMilliseconds,
            };
        }
    }
}
