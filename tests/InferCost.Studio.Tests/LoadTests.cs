using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace InferCost.Studio.Tests;

/// <summary>Studio as users start it (<c>infercost studio</c>, its own process) under 2,000 requests over 50
/// connections: no answer is a 5xx and the process's peak resident memory stays under the stated bound. Memory, not
/// time, is asserted: the bound comes from the limits Studio sets itself, not from the machine's speed.</summary>
public class LoadTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>The README's stated bound for this load: the runtime and Studio's code (about 150 MB resident after
    /// start-up here), DuckDB's buffers for one open ledger, and at most <c>StudioLimits.ConcurrentRequests</c> pages
    /// rendered at once.</summary>
    private const long PeakBoundBytes = 400L * 1024 * 1024;

    [Fact]
    public async Task Two_thousand_requests_over_fifty_connections_get_no_5xx_and_memory_stays_bounded()
    {
        var folder = Path.Combine(Path.GetTempPath(), "infercost-studio-load-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        using var studio = StartStudio(Path.Combine(folder, "ledger.duckdb"), out var url);
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 50 }) { BaseAddress = new Uri(url) };
            var template = File.ReadAllText(StudioHost.Fixture("contract/template.csv"));
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/api/import", StudioHost.Upload("template.csv", template))).StatusCode);

            string[] paths = ["/", "/import", "/workload", "/workload/support-policy", "/api/metrics", "/api/ledger", "/reports", "/assets/studio.css", "/healthz", "/api/curve?workload=support-policy", "/no-such-page"];
            var statuses = new System.Collections.Concurrent.ConcurrentBag<(string Path, int Status)>();
            await Parallel.ForAsync(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 50 }, async (i, cancel) =>
            {
                var path = paths[i % paths.Length];
                using var response = i % 40 == 0
                    ? await http.PostAsync("/api/import", StudioHost.Upload($"copy-{i}.csv", template), cancel)
                    : await http.GetAsync(path, cancel);
                await response.Content.ReadAsByteArrayAsync(cancel);
                statuses.Add((i % 40 == 0 ? "POST /api/import" : path, (int)response.StatusCode));
            });

            Assert.Equal(2000, statuses.Count);
            Assert.DoesNotContain(statuses, s => s.Status >= 500);
            Assert.All(statuses.Where(s => s.Path == "/no-such-page"), s => Assert.Equal(404, s.Status));
            Assert.All(statuses.Where(s => s.Path != "/no-such-page"), s => Assert.Equal(200, s.Status));
            var peak = PeakResidentBytes(studio.Id);
            output.WriteLine($"peak resident memory of infercost studio: {peak / (1024 * 1024)} MB");
            Assert.True(peak < PeakBoundBytes, $"peak resident memory {peak / (1024 * 1024)} MB, bound {PeakBoundBytes / (1024 * 1024)} MB");
        }
        finally
        {
            studio.Kill(entireProcessTree: true);
            await studio.WaitForExitAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>VmHWM: the most resident memory the process has had.</summary>
    private static long PeakResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>Runs <c>infercost studio</c> from the test's output folder on a free loopback port and waits for the
    /// line saying where it listens.</summary>
    private static Process StartStudio(string ledger, out string url)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "infercost.dll"), "studio", "--ledger", ledger, "--port", port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var first = process.StandardOutput.ReadLine();
        Assert.True(first is not null && first.StartsWith("InferCost Studio: http://127.0.0.1:", StringComparison.Ordinal), $"infercost studio said: {first}");
        url = $"http://127.0.0.1:{port}";
        return process;
    }
}
