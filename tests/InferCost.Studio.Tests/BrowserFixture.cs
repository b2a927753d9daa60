using Microsoft.Playwright;

namespace InferCost.Studio.Tests;

/// <summary>
/// One headless Chromium for every browser test, started and warmed before the first of them runs. Its cold start
/// (the Playwright driver, Chromium's first launch on a fresh machine, the first page it ever lays out) is paid here,
/// in the collection's set-up, so no test's own waits depend on how long a cold machine takes to start a browser.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Collection = "Browser";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "Debian's chromium is missing: run ./test.sh, which installs it");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        // Warm-up: one page laid out with text, a form and a stylesheet, so fonts and the renderer are ready.
        await using var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SetContentAsync("<!DOCTYPE html><style>p{font:16px sans-serif}</style><p>warm-up</p><form><input type=file><button>Go</button></form>");
        Assert.Equal("warm-up", await page.Locator("p").InnerTextAsync());
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}

/// <summary>The test classes that drive Chromium share <see cref="BrowserFixture"/> and run one after another.</summary>
[CollectionDefinition(BrowserFixture.Collection)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>;
