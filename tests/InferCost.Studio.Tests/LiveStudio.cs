using System.Collections.Concurrent;
using InferCost.Studio.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace InferCost.Studio.Tests;

/// <summary>Studio on a real loopback port (Kestrel, port 0) over its own temp ledger, and Debian's Chromium driven by
/// Playwright (the shared <see cref="BrowserFixture"/>) with every request that leaves loopback blocked and recorded.</summary>
internal sealed class LiveStudio : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<IBrowserContext> _contexts = [];

    private readonly ConcurrentQueue<string> _logged;

    private LiveStudio(WebApplication app, string folder, string url, ConcurrentQueue<string> logged)
    {
        _app = app;
        _logged = logged;
        Folder = folder;
        Url = url;
    }

    public string Folder { get; }
    public string Url { get; }
    public string LedgerPath => Path.Combine(Folder, "ledger.duckdb");
    public List<string> Problems { get; } = [];
    public List<string> OffLoopback { get; } = [];

    /// <param name="settings">More configuration (Studio:Host, Studio:AccessToken, …).</param>
    /// <param name="listen">Where Kestrel listens; the <see cref="Url"/> always names 127.0.0.1 and the port it got.</param>
    public static async Task<LiveStudio> StartAsync(Dictionary<string, string?>? settings = null, string listen = "http://127.0.0.1:0")
    {
        var folder = Path.Combine(Path.GetTempPath(), "infercost-studio-live-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var logged = new ConcurrentQueue<string>();
        var app = StudioApp.Create([], builder =>
        {
            var all = new Dictionary<string, string?>(settings ?? []) { ["Studio:Ledger"] = Path.Combine(folder, "ledger.duckdb") };
            builder.Configuration.AddInMemoryCollection(all);
            builder.WebHost.UseUrls(listen);
            builder.Logging.AddProvider(new ListLoggerProvider(logged));
        });
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        return new LiveStudio(app, folder, $"http://127.0.0.1:{port}", logged);
    }

    /// <summary>What Studio logged (its console) at warning level or above since it started, e.g. a stack trace.</summary>
    public IReadOnlyList<string> Warnings => _logged.ToList();

    /// <summary>A page in a fresh context of the shared browser (no cookies or cache from another test).</summary>
    public async Task<IPage> PageAsync(BrowserFixture browser)
    {
        var context = await browser.Browser.NewContextAsync();
        _contexts.Add(context);
        // No network: anything not on loopback is aborted and remembered.
        await context.RouteAsync("**/*", async route =>
        {
            var uri = new Uri(route.Request.Url);
            if (uri.Scheme is "data" or "blob" || (uri.Host is "127.0.0.1" or "localhost" or "[::1]"))
            {
                await route.ContinueAsync();
            }
            else
            {
                OffLoopback.Add(route.Request.Url);
                await route.AbortAsync();
            }
        });
        var page = await context.NewPageAsync();
        page.Console += (_, message) => { if (message.Type is "error") Problems.Add(message.Text); };
        page.PageError += (_, error) => Problems.Add(error);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Collects log lines at warning level or above, with their exception, for tests to read.</summary>
internal sealed class ListLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception)}");
            }
        }
    }
}
