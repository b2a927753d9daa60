using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace InferCost.Cli.Tests;

/// <summary>Opens the demo's HTML report in Debian's Chromium (installed by test.sh) through Playwright.</summary>
public class BrowserTests
{
    /// <summary>A4 with the report's 12 mm print margins, in CSS pixels (96 per inch): the box every printed cell and
    /// chart label must lie in.</summary>
    private const double PrintableWidthPx = (210 - 24) / 25.4 * 96;
    private const double PrintableHeightPx = (297 - 24) / 25.4 * 96;

    private static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "Debian's chromium is missing: run ./test.sh, which installs it");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return (playwright, browser);
    }

    [Fact]
    public async Task The_report_renders_its_charts_in_headless_chromium_with_no_console_errors()
    {
        var folder = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run("demo", "--out", folder).Exit);

        var (playwright, browser) = await LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
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

    /// <summary>Checks, in the page laid out for print at A4's printable width, that no table cell and no chart text
    /// leaves the page box or its chart; that legend entries are distinct; and that the answer fits the first page and
    /// the report before its appendix fits in eight pages. Counted in the PDF Chromium prints.</summary>
    [Fact]
    public async Task The_printed_report_clips_no_table_cell_or_chart_label_and_its_answer_fits_the_first_page()
    {
        var folder = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run("demo", "--out", folder).Exit);

        var (playwright, browser) = await LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = (int)PrintableWidthPx, Height = (int)PrintableHeightPx } });
        await page.GotoAsync(new Uri(Path.Combine(folder, "report", "report.html")).AbsoluteUri);
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });

        var pdf = await page.PdfAsync(new PagePdfOptions { Format = "A4", PrintBackground = true });
        File.WriteAllBytes(Path.Combine(folder, "report.pdf"), pdf);
        var pages = Pages(pdf);
        Assert.True(pages >= 2, $"the PDF has {pages} pages");

        var outside = await page.EvaluateAsync<string[]>("""
            (width) => {
              const bad = [];
              const slack = 0.5;
              for (const td of document.querySelectorAll('td, th')) {
                const r = td.getBoundingClientRect();
                if (r.width === 0) continue;
                if (r.left < -slack || r.right > width + slack) bad.push(`cell "${td.textContent.slice(0, 60)}" spans ${r.left.toFixed(1)}..${r.right.toFixed(1)} of ${width.toFixed(1)}`);
              }
              for (const text of document.querySelectorAll('svg text')) {
                const r = text.getBoundingClientRect();
                const svg = text.ownerSVGElement.getBoundingClientRect();
                if (r.width === 0) continue;
                if (r.left < svg.left - slack || r.right > svg.right + slack || r.top < svg.top - slack || r.bottom > svg.bottom + slack)
                  bad.push(`chart text "${text.textContent.slice(0, 60)}" at ${r.left.toFixed(1)}..${r.right.toFixed(1)} leaves its chart ${svg.left.toFixed(1)}..${svg.right.toFixed(1)}`);
                if (r.left < -slack || r.right > width + slack) bad.push(`chart text "${text.textContent.slice(0, 60)}" leaves the page`);
              }
              return bad;
            }
            """, PrintableWidthPx);
        Assert.True(outside.Length == 0, string.Join("\n", outside));

        // Every chart's legend entries (and every bar label) read differently.
        var duplicates = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
              const labels = [...svg.querySelectorAll('text.label')].map(t => t.textContent);
              return labels.filter((l, i) => labels.indexOf(l) !== i);
            })
            """);
        Assert.True(duplicates.Length == 0, "identical chart labels: " + string.Join(", ", duplicates));

        var answerHeight = await page.EvaluateAsync<double>("() => document.querySelector('section.answer-page').getBoundingClientRect().height");
        Assert.True(answerHeight <= PrintableHeightPx, $"the answer is {answerHeight:0} px tall; a printed page holds {PrintableHeightPx:0}");

        await page.AddStyleTagAsync(new PageAddStyleTagOptions { Content = "#appendix{display:none}" });
        var main = Pages(await page.PdfAsync(new PagePdfOptions { Format = "A4", PrintBackground = true }));
        Assert.True(main <= 8, $"the report before its appendix prints on {main} pages (of {pages} in all)");
    }

    /// <summary>Page objects in a PDF as Chromium writes it ("/Type /Page", not "/Pages").</summary>
    private static int Pages(byte[] pdf) => Regex.Matches(System.Text.Encoding.Latin1.GetString(pdf), @"/Type\s*/Page(?![s\w])").Count;
}
