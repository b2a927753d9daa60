using Microsoft.Playwright;

namespace InferCost.Cli.Tests;

/// <summary>Opens the demo's HTML report in Debian's Chromium (installed by test.sh) through Playwright.</summary>
public class BrowserTests
{
    [Fact]
    public async Task The_report_renders_its_charts_in_headless_chromium_with_no_console_errors()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "Debian's chromium is missing: run ./test.sh, which installs it");
        var folder = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run("demo", "--out", folder).Exit);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) => { if (message.Type is "error" or "warning") problems.Add(message.Text); };
        page.PageError += (_, error) => problems.Add(error);
        page.RequestFailed += (_, request) => problems.Add("request failed: " + request.Url);

        await page.GotoAsync(new Uri(Path.Combine(folder, "report", "report.html")).AbsoluteUri);

        Assert.Empty(problems);
        Assert.Equal(16, await page.Locator("svg.chart").CountAsync()); // 4 charts (cost curve included) × 4 workloads
        Assert.True(await page.Locator("svg.chart polyline").CountAsync() > 8, "cost-curve lines were not drawn");
        var firstChart = page.Locator("svg.chart").First;
        var box = await firstChart.BoundingBoxAsync();
        Assert.True(box is { Width: > 300, Height: > 100 }, "the first chart has no visible size");
        Assert.True(await page.Locator("svg.chart rect").CountAsync() > 20, "bars were not drawn");
        Assert.Contains("USD per accepted output", await firstChart.TextContentAsync());
        Assert.Equal("Inference route report: cost per accepted output at target p95 latency", await page.TitleAsync());
    }
}
