using InferCost.Studio.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Playwright;

namespace InferCost.Studio.Tests;

/// <summary>Studio on a real loopback port (Kestrel, port 0) over its own temp ledger, and Debian's Chromium driven by
/// Playwright (the shared <see cref="BrowserFixture"/>) with every request that leaves loopback blocked and recorded.</summary>
internal sealed class LiveStudio : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<IBrowserContext> _contexts = [];

    private LiveStudio(WebApplication app, string folder, string url)
    {
        _app = app;
        Folder = folder;
        Url = url;
    }

    public string Folder { get; }
    public string Url { get; }
    public string LedgerPath => Path.Combine(Folder, "ledger.duckdb");
    public List<string> Problems { get; } = [];
    public List<string> OffLoopback { get; } = [];

    public static async Task<LiveStudio> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "infercost-studio-live-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var app = StudioApp.Create([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Studio:Ledger"] = Path.Combine(folder, "ledger.duckdb") });
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        });
        await app.StartAsync();
        return new LiveStudio(app, folder, app.Urls.First());
    }

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
