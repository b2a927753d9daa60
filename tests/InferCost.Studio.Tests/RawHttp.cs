using System.Net.Sockets;
using System.Text;

namespace InferCost.Studio.Tests;

/// <summary>One HTTP/1.1 exchange written byte for byte over a TCP socket to 127.0.0.1, for requests no HTTP client
/// sends: a foreign Host, a request target like <c>//evil.example/</c>, a body cut short, a broken multipart form.</summary>
internal static class RawHttp
{
    /// <param name="Status">0 when the server closed the connection without answering.</param>
    internal sealed record Response(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
    }

    /// <summary>Sends <paramref name="head"/> (request line and headers, "\r\n" separated, without the blank line) and
    /// <paramref name="body"/>; with <paramref name="endEarly"/> the client then closes its sending side, so the server
    /// sees the body end before the length it was promised. Reads the answer until the server closes the connection.</summary>
    public static async Task<Response> SendAsync(string url, string head, byte[]? body = null, bool endEarly = false)
    {
        var port = new Uri(url).Port;
        using var client = new TcpClient();
        // A guard against a hang, not a measurement: every answer here comes in milliseconds.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await client.ConnectAsync("127.0.0.1", port, guard.Token);
        var stream = client.GetStream();
        var bytes = Encoding.ASCII.GetBytes(head.TrimEnd('\r', '\n') + "\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(bytes, guard.Token);
        if (body is not null)
        {
            await stream.WriteAsync(body, guard.Token);
        }
        if (endEarly)
        {
            client.Client.Shutdown(SocketShutdown.Send);
        }
        using var answer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(answer, guard.Token);
        }
        catch (IOException) when (endEarly)
        {
            // The server may reset a connection whose client stopped sending mid-body: no answer, or part of one.
            return answer.Length > 0 && answer.ToArray().AsSpan().IndexOf("\r\n\r\n"u8) > 0 ? Parse(answer.ToArray()) : Parse([]);
        }
        return Parse(answer.ToArray());
    }

    public static Task<Response> GetAsync(string url, string target, string? host = null, params string[] headers) =>
        SendAsync(url, $"GET {target} HTTP/1.1\r\nHost: {host ?? new Uri(url).Authority}" + string.Concat(headers.Select(h => "\r\n" + h)));

    /// <summary>A POST of <paramref name="body"/> with the given Content-Type; Content-Length is the body's unless given.</summary>
    public static Task<Response> PostAsync(string url, string target, string contentType, byte[] body, long? contentLength = null, bool endEarly = false) =>
        SendAsync(url, $"POST {target} HTTP/1.1\r\nHost: {new Uri(url).Authority}\r\nContent-Type: {contentType}\r\nContent-Length: {contentLength ?? body.Length}", body, endEarly);

    private static Response Parse(byte[] raw)
    {
        if (raw.Length == 0)
        {
            return new Response(0, new Dictionary<string, string>(), string.Empty); // closed without an answer
        }
        var split = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.True(split > 0, $"no HTTP answer: '{Encoding.UTF8.GetString(raw)}'");
        var lines = Encoding.ASCII.GetString(raw, 0, split).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        var body = raw.AsSpan(split + 4);
        var chunked = headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        return new Response(status, headers, Encoding.UTF8.GetString(chunked ? Unchunk(body) : body.ToArray()));
    }

    private static byte[] Unchunk(ReadOnlySpan<byte> chunked)
    {
        var result = new MemoryStream();
        while (true)
        {
            var end = chunked.IndexOf("\r\n"u8);
            var size = Convert.ToInt32(Encoding.ASCII.GetString(chunked[..end]).Split(';')[0], 16);
            if (size == 0)
            {
                return result.ToArray();
            }
            result.Write(chunked.Slice(end + 2, size));
            chunked = chunked[(end + 2 + size + 2)..];
        }
    }
}
