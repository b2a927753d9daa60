using System.Text;
using System.Text.Json;
using InferCost.TestServers;

namespace InferCost.Cli.Tests;

/// <summary><c>infercost bench</c> against endpoints that misbehave, played byte for byte by a raw loopback server.
/// For every one: the run ends (a 60 s hang guard, far above any row's few seconds), every attempt is an event with
/// its error class, no timed-out attempt ends before --timeout-ms (less the timer's millisecond granularity), the
/// exit code says what happened, the API key is sent but written nowhere, and <c>import</c> accepts the events.</summary>
public sealed class BenchMisbehaviourTests
{
    private const string Secret = "sk-misbehaviour-0d5c2b7e9f";
    private const int TimeoutMs = 500;

    private static string Chunk(string content) =>
        "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":" + JsonSerializer.Serialize(content) + "},\"finish_reason\":null}]}\n\n";

    private const string Finish = "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
    private const string Done = "data: [DONE]\n\n";

    /// <summary>Every way of misbehaving, the extra flags it is run with, the exit code and the error classes
    /// (name → attempts) its two requests must end with; null classes = every attempt ok.</summary>
    public static TheoryData<string> Modes => new(Table.Keys);

    private sealed record Mode(Func<RawExchange, Task> Handler, int Exit, Dictionary<string, int>? Classes, string[]? Flags = null, string? Says = null);

    private static readonly Dictionary<string, Mode> Table = new()
    {
        ["well-behaved"] = new(async x => { await x.StartStreamAsync(); await x.WriteAsync(Chunk("hi") + Finish + Done); }, 0, null),
        ["binary garbage"] = new(async x =>
        {
            await x.StartStreamAsync();
            await x.WriteAsync(Enumerable.Range(0, 4096).Select(i => (byte)(i * 131 % 256)).ToArray());
        }, 1, new() { ["malformed_response"] = 2 }),
        ["invalid UTF-8 in content"] = new(async x =>
        {
            await x.StartStreamAsync();
            await x.WriteAsync(Encoding.ASCII.GetBytes("data: {\"choices\":[{\"delta\":{\"content\":\"").Concat(new byte[] { 0xC3, 0x28, 0xFF })
                .Concat(Encoding.ASCII.GetBytes("\"}}]}\n\n" + Finish + Done)).ToArray());
        }, 1, new() { ["malformed_response"] = 2 }),
        ["data that is not JSON"] = new(async x => { await x.StartStreamAsync(); await x.WriteAsync("data: hello\n\n" + Done); }, 1, new() { ["malformed_response"] = 2 }),
        ["HTML page as a 200 stream"] = new(async x => { await x.StartStreamAsync(); await x.WriteAsync("<html>\n<body>502 Bad Gateway</body>\n</html>\n"); }, 1, new() { ["malformed_response"] = 2 }),
        ["JSON that is not an object"] = new(x => x.RespondAsync(200, "application/json", "[1,2,3]"), 1, new() { ["malformed_response"] = 2 }, ["--no-stream"]),
        ["stall before the headers"] = new(x => x.StallAsync(), 1, new() { ["timeout"] = 2 }),
        ["stall after the headers"] = new(async x => { await x.StartStreamAsync(); await x.StallAsync(); }, 1, new() { ["timeout"] = 2 }),
        ["stall mid-stream"] = new(async x => { await x.StartStreamAsync(); await x.WriteAsync(Chunk("half")); await x.StallAsync(); }, 1, new() { ["timeout"] = 2 }),
        ["a comment every 50 ms for ever"] = new(async x =>
        {
            await x.StartStreamAsync();
            while (!x.Stopping.IsCancellationRequested)
            {
                await x.WriteAsync(": keep-alive\n");
                await Task.Delay(50, x.Stopping);
            }
        }, 1, new() { ["timeout"] = 2 }),
        ["reset mid-stream"] = new(async x => { await x.StartStreamAsync(); await x.WriteAsync(Chunk("half")); x.Reset(); }, 1, new() { ["stream_cut"] = 2 }),
        ["closed cleanly before [DONE]"] = new(async x => { await x.StartStreamAsync(); await x.WriteAsync(Chunk("half")); }, 1, new() { ["stream_cut"] = 2 }),
        ["broken chunked encoding"] = new(async x =>
        {
            x.KeepAlive = false;
            await x.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnot a chunk\r\n");
        }, 1, new() { ["stream_cut"] = 2 }),
        ["body shorter than its Content-Length"] = new(async x =>
        {
            x.KeepAlive = false;
            await x.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"choices\":[");
        }, 1, new() { ["stream_cut"] = 2 }, ["--no-stream"]),
        ["closed before the headers"] = new(x => { x.KeepAlive = false; return Task.CompletedTask; }, 3, new() { ["connection"] = 2 }, null, "no attempt could connect"),
        ["not HTTP at all"] = new(async x => { x.KeepAlive = false; await x.WriteAsync("SSH-2.0-OpenSSH_9.6\r\n"); }, 3, new() { ["connection"] = 2 }),
        ["negative usage"] = new(async x =>
        {
            await x.StartStreamAsync();
            await x.WriteAsync(Chunk("hi") + Finish + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":-5,\"completion_tokens\":-3}}\n\n" + Done);
        }, 1, new() { ["implausible_usage"] = 2 }),
        ["401 on every request"] = new(x => x.RespondAsync(401, "application/json", "{\"error\":{\"message\":\"bad key\"}}"), 1, new() { ["http_4xx"] = 2 }, null, "no request succeeded (http_4xx 2 of 2 attempts)"),
        ["500 on every attempt"] = new(x => x.RespondAsync(500, "text/plain", "oops"), 1, new() { ["http_5xx"] = 4 }, ["--max-retries", "1", "--backoff-ms", "1"]),
        ["429 until a date years ahead"] = new(x => x.RespondAsync(429, "application/json", "{}", "Retry-After: Fri, 31 Dec 9999 23:59:59 GMT"),
            1, new() { ["http_429"] = 4 }, ["--max-retries", "1", "--backoff-max-ms", "20"], "conc 1: 2 retries waited --backoff-max-ms (20 ms)"),
        ["error object inside a 200 stream"] = new(async x =>
        {
            await x.StartStreamAsync();
            await x.WriteAsync("data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n" + Done);
        }, 1, new() { ["stream_error"] = 2 }),
        ["a 1 MB one-word reply without usage"] = new(async x =>
        {
            await x.StartStreamAsync();
            var body = new StringBuilder();
            for (var i = 0; i < 1024; i++)
            {
                body.Append(Chunk(new string('a', 1024)));
            }
            await x.WriteAsync(body + Finish + Done);
        }, 0, null, ["--timeout-ms", "60000"]),
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Every_attempt_is_recorded_nothing_hangs_and_the_key_is_written_nowhere(string mode)
    {
        var row = Table[mode];
        await using var server = new RawHttpServer(row.Handler);
        var dir = CliRunner.TempFolder();
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var flags = new Dictionary<string, string> { ["--max-retries"] = "0", ["--timeout-ms"] = TimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        for (var i = 0; row.Flags is not null && i < row.Flags.Length; i++)
        {
            flags[row.Flags[i]] = row.Flags[i].StartsWith("--no-", StringComparison.Ordinal) ? "" : row.Flags[++i];
        }
        string[] args =
        [
            "bench", "--endpoint", server.Endpoint, "--model", "m", "--route", "owned", "--api-key-env", "KEY",
            "--synthetic", "isl=4,osl=2", "--concurrency", "1", "--requests", "2", "--out", dir,
            .. flags.SelectMany(f => f.Value.Length == 0 ? new[] { f.Key } : [f.Key, f.Value]),
        ];

        var exit = await Task.Run(() => CliApp.Run(args, output, error, CliEnvironment.ForTests(new Dictionary<string, string> { ["KEY"] = Secret })))
            .WaitAsync(TimeSpan.FromSeconds(60));

        var stderr = error.ToString();
        Assert.True(exit == row.Exit, $"exit {exit}: {stderr}");
        Assert.DoesNotContain("internal error", stderr);
        var eventsPath = Path.Combine(dir, "events.jsonl");
        var lines = File.ReadAllLines(eventsPath);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        var level = summary.RootElement.GetProperty("levels")[0];
        var classes = level.GetProperty("errorsByClass").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(row.Classes ?? [], classes);
        Assert.Equal(row.Classes?.Values.Sum() ?? 2, lines.Length);
        Assert.Equal(lines.Length, level.GetProperty("attempts").GetInt32());
        Assert.Equal(lines.Length, server.RequestCount); // every attempt reached the server, and each is one event
        if (row.Says is not null)
        {
            Assert.Contains(row.Says, stderr);
        }
        Assert.All(server.Requests, r => Assert.Equal("Bearer " + Secret, r.Headers["Authorization"]));
        foreach (var line in lines)
        {
            using var e = JsonDocument.Parse(line);
            if (e.RootElement.GetProperty("status").GetString() == "timeout")
            {
                Assert.True(e.RootElement.GetProperty("latencyMs").GetDouble() >= TimeoutMs - 5, line);
            }
        }
        Assert.DoesNotContain(Secret, output.ToString());
        Assert.DoesNotContain(Secret, stderr);
        foreach (var file in Directory.GetFiles(dir, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(Secret, File.ReadAllText(file));
        }
        var import = CliRunner.Run("import", eventsPath, "--ledger", Path.Combine(dir, "l.duckdb"));
        Assert.True(import.Exit == 0, import.Err);
        Assert.Contains($"imported {lines.Length} events", import.Out);
    }

    [Fact]
    public async Task An_endpoint_that_dies_mid_run_stops_the_run_with_exit_3_and_keeps_what_was_measured()
    {
        RawHttpServer? self = null;
        self = new RawHttpServer(async x =>
        {
            if (x.Request.Index >= 5)
            {
                self!.Kill();
                x.Reset();
                return;
            }
            await x.RespondAsync(200, "text/event-stream", Chunk("hi") + Finish + Done);
        });
        await using var server = self;
        var dir = CliRunner.TempFolder();

        var (exit, _, stderr) = await Task.Run(() => CliRunner.Run("bench", "--endpoint", server.Endpoint, "--model", "m", "--route", "owned",
            "--synthetic", "isl=4,osl=2", "--concurrency", "1,4", "--requests", "3000", "--backoff-ms", "1", "--backoff-max-ms", "5",
            "--out", dir)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exit == 3, stderr);
        Assert.Contains($"conc 1 stopped: the last 20 attempts all failed to connect to http://127.0.0.1:{server.Port}/v1; 1 later level(s) not run.", stderr);
        var lines = File.ReadAllLines(Path.Combine(dir, "events.jsonl"));
        Assert.Equal(25, lines.Length); // 5 ok, then the 20 failed connects of the rule
        Assert.Equal(5, lines.Count(l => l.Contains("\"status\":\"ok\"", StringComparison.Ordinal)));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        var level = Assert.Single(summary.RootElement.GetProperty("levels").EnumerateArray());
        Assert.Equal("the last 20 attempts all failed to connect", level.GetProperty("stoppedReason").GetString());
        Assert.StartsWith("the level stopped early", level.GetProperty("rowReason").GetString(), StringComparison.Ordinal);
    }
}
