using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace InferCost.TestServers;

/// <summary>One request as the raw server read it.</summary>
public sealed record RawRequest(int Index, string RequestLine, IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>What a handler may do with one request: write any bytes (a well-formed response or not), stall, reset.</summary>
public sealed class RawExchange(RawRequest request, NetworkStream stream, Socket socket, CancellationToken stopping)
{
    public RawRequest Request { get; } = request;
    public NetworkStream Stream { get; } = stream;
    public CancellationToken Stopping { get; } = stopping;

    /// <summary>Set false to close the connection after this exchange (the default keeps it for the next request).</summary>
    public bool KeepAlive { get; set; } = true;

    public Task WriteAsync(string text) => WriteAsync(Encoding.UTF8.GetBytes(text));

    public async Task WriteAsync(byte[] bytes)
    {
        await Stream.WriteAsync(bytes, Stopping);
        await Stream.FlushAsync(Stopping);
    }

    /// <summary>A complete response with a Content-Length.</summary>
    public Task RespondAsync(int status, string contentType, string body, params string[] headers) =>
        RespondAsync(status, contentType, Encoding.UTF8.GetBytes(body), headers);

    public async Task RespondAsync(int status, string contentType, byte[] body, params string[] headers)
    {
        var head = new StringBuilder();
        head.Append("HTTP/1.1 ").Append(status).Append(" X\r\nContent-Type: ").Append(contentType)
            .Append("\r\nContent-Length: ").Append(body.Length).Append("\r\n");
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }
        head.Append("\r\n");
        await WriteAsync(Encoding.ASCII.GetBytes(head.ToString()).Concat(body).ToArray());
    }

    /// <summary>Headers of a text/event-stream response without a length (the body ends when the connection closes).</summary>
    public Task StartStreamAsync()
    {
        KeepAlive = false;
        return WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n");
    }

    /// <summary>Resets the connection (RST, not FIN): the client sees the stream break.</summary>
    public void Reset()
    {
        KeepAlive = false;
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    /// <summary>Waits until the server stops (a stall the client can only end by its own timeout).</summary>
    public async Task StallAsync()
    {
        try
        {
            await Task.Delay(Timeout.Infinite, Stopping);
        }
        catch (OperationCanceledException)
        {
        }
        KeepAlive = false;
    }
}

/// <summary>An HTTP/1.1 server on a loopback socket that the test controls byte for byte: it reads each request
/// (headers and a Content-Length body) and hands it to the handler, which writes whatever it likes. Used to play
/// endpoints that misbehave in ways a real framework would not let a server do. <see cref="Kill"/> closes the
/// listener and every open connection, as a crashed server would.</summary>
public sealed class RawHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<RawExchange, Task> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Socket> _sockets = [];
    private readonly ConcurrentQueue<RawRequest> _requests = new();
    private readonly Task _accepting;
    private int _count;

    public RawHttpServer(Func<RawExchange, Task> handler)
    {
        _handler = handler;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>http://127.0.0.1:PORT/v1</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}/v1";

    public IReadOnlyList<RawRequest> Requests => _requests.ToArray();

    public int RequestCount => Volatile.Read(ref _count);

    /// <summary>Stops listening and drops every connection: later connects are refused.</summary>
    public void Kill()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var socket in _sockets)
        {
            try
            {
                socket.Close();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _sockets.Add(socket);
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: true);
            while (!_stop.IsCancellationRequested)
            {
                var request = await ReadRequestAsync(stream);
                if (request is null)
                {
                    return;
                }
                _requests.Enqueue(request);
                var exchange = new RawExchange(request, stream, socket, _stop.Token);
                await _handler(exchange);
                if (!exchange.KeepAlive)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away, or the test reset or killed the connection.
        }
    }

    private async Task<RawRequest?> ReadRequestAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!EndsWithBlankLine(head))
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
            {
                return null;
            }
            head.Add(one[0]);
        }
        var lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        var body = new byte[headers.TryGetValue("Content-Length", out var length) ? int.Parse(length) : 0];
        await stream.ReadExactlyAsync(body, _stop.Token);
        return new RawRequest(Interlocked.Increment(ref _count) - 1, lines[0], headers, body);
    }

    private static bool EndsWithBlankLine(List<byte> head) =>
        head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n';

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _accepting;
        _stop.Dispose();
    }
}
