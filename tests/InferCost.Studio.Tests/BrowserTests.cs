using Microsoft.Playwright;

namespace InferCost.Studio.Tests;

/// <summary>Studio as a person uses it, in headless Chromium, with no network beyond loopback.</summary>
[Collection(BrowserFixture.Collection)]
public class BrowserTests(BrowserFixture browser)
{
    private static readonly string Examples = Path.Combine(AppContext.BaseDirectory, "fixtures", "contract", "template.csv");

    /// <summary>Submits the Import form and returns once the page shows the answer. It waits for two things Studio
    /// controls: the POST's response (listened for before the click, so it cannot be missed however fast it comes) and
    /// the outcome region that only the answer page has. Not a load state: "DOMContentLoaded" is a state that the page
    /// the form was on already has, and whether a wait for it sees the old page or the new one depends on timing.</summary>
    internal static async Task<IResponse> UploadAsync(IPage page, LiveStudio studio, string fileName, string content)
    {
        await page.GotoAsync(studio.Url + "/import");
        await page.GetByLabel("Trace file").SetInputFilesAsync(new FilePayload { Name = fileName, MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(content) });
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync(),
            r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == "/import");
        await page.Locator("#import-outcome").WaitForAsync();
        return response;
    }

    [Fact]
    public async Task Every_import_form_label_sits_beside_its_own_input()
    {
        await using var studio = await LiveStudio.StartAsync();
        var page = await studio.PageAsync(browser);
        await page.SetViewportSizeAsync(1280, 900);
        await page.GotoAsync(studio.Url + "/import");

        var misplaced = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('form label[for]')].flatMap(label => {
              const input = document.getElementById(label.htmlFor);
              const l = label.getBoundingClientRect(), i = input.getBoundingClientRect();
              const middle = l.top + l.height / 2;
              const beside = l.right <= i.left + 1 && middle >= i.top && middle <= i.bottom;
              return beside ? [] : [`${label.textContent} at ${l.left.toFixed(0)},${l.top.toFixed(0)}; its input at ${i.left.toFixed(0)},${i.top.toFixed(0)}`];
            })
            """);

        Assert.True(misplaced.Length == 0, string.Join("\n", misplaced));
        Assert.True(await page.Locator("form fieldset label[for]").CountAsync() >= 5, "the fill-ins were not checked");
    }

    [Fact]
    public async Task Uploading_a_file_shows_its_rows()
    {
        await using var studio = await LiveStudio.StartAsync();
        var page = await studio.PageAsync(browser);
        var response = await UploadAsync(page, studio, "team-traces.csv", File.ReadAllText(Examples));
        Assert.Equal(200, response.Status);
        Assert.Equal("imported", await page.Locator("#import-outcome").GetAttributeAsync("data-outcome"));

        Assert.Contains("team-traces.csv: imported 3 rows", await page.Locator("#import-result").InnerTextAsync());
        var rows = page.Locator("#ledger-rows tbody tr");
        Assert.Equal(3, await rows.CountAsync());
        Assert.Contains("invoice-review", await page.Locator("#ledger-rows").InnerTextAsync());

        await page.GetByRole(AriaRole.Link, new() { Name = "Overview", Exact = true }).ClickAsync();
        Assert.Contains("Dedicated endpoint", await page.Locator("#headlines").InnerTextAsync());
        Assert.Empty(studio.Problems);
        Assert.Empty(studio.OffLoopback);
    }

    [Fact]
    public async Task A_bad_file_shows_its_line_numbered_error_and_nothing_is_imported()
    {
        await using var studio = await LiveStudio.StartAsync();
        var page = await studio.PageAsync(browser);
        var bad = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "contract", "rate-above-one.csv"));
        var response = await UploadAsync(page, studio, "rates.csv", bad);
        Assert.Equal(422, response.Status);
        Assert.Equal("invalid", await page.Locator("#import-outcome").GetAttributeAsync("data-outcome"));

        var errors = await page.Locator("#import-errors").InnerTextAsync();
        Assert.Contains("Nothing was imported", errors);
        var firstRow = await page.Locator("#error-table tbody tr").First.InnerTextAsync();
        Assert.Contains("3", firstRow.Split('\t')[0]);
        Assert.Contains("rates.csv, line 3, column 7 (cacheHitRate): value \"1.7\"", errors);
        Assert.Contains("No traces yet", await page.Locator("main").InnerTextAsync());
        Assert.False(File.Exists(studio.LedgerPath) && new FileInfo(studio.LedgerPath).Length > 0 && await HasRowsAsync(studio));
    }

    private static async Task<bool> HasRowsAsync(LiveStudio studio)
    {
        using var client = new HttpClient();
        var ledger = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync(studio.Url + "/api/ledger"))!;
        return (long)ledger["totalRows"]! > 0;
    }

    [Fact]
    public async Task A_script_in_a_model_name_renders_as_text()
    {
        await using var studio = await LiveStudio.StartAsync();
        var page = await studio.PageAsync(browser);
        const string evil = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>";
        var csv = File.ReadAllText(Examples).Replace("dedicated-open-model-id", "\"" + evil.Replace("\"", "\"\"") + "\"", StringComparison.Ordinal);
        await UploadAsync(page, studio, "<img src=x onerror=window.pwned=3>.csv", csv);
        Assert.Contains("imported 3 rows", await page.Locator("#import-result").InnerTextAsync());

        await page.GotoAsync(studio.Url + "/");
        Assert.Contains(evil, await page.Locator("#routes").InnerTextAsync());
        Assert.Equal(0, await page.Locator("#routes img, #routes script").CountAsync());
        Assert.Equal("undefined", await page.EvaluateAsync<string>("typeof window.pwned"));

        await page.GotoAsync(studio.Url + "/import");
        Assert.Contains("<img src=x onerror=window.pwned=3>.csv", await page.Locator("#imports").InnerTextAsync());
        Assert.Equal(0, await page.Locator("#imports img").CountAsync());
        Assert.Equal("undefined", await page.EvaluateAsync<string>("typeof window.pwned"));
    }

    [Fact]
    public async Task Every_page_renders_with_no_network_and_no_request_leaves_loopback()
    {
        await using var studio = await LiveStudio.StartAsync();
        var page = await studio.PageAsync(browser);
        await UploadAsync(page, studio, "template.csv", File.ReadAllText(Examples));
        foreach (var path in new[] { "/", "/import", "/workload", "/workload/support-policy", "/fit?model=Llama-3.1-70B&gpu=h100&context=32k", "/simulate?rate=8&meanServiceMs=1000&replicas=10&requests=5000", "/procurement", "/reports" })
        {
            var response = await page.GotoAsync(studio.Url + path);
            Assert.True(response!.Ok, $"{path}: HTTP {response.Status}");
            Assert.True(await page.Locator("main h1").IsVisibleAsync(), path);
            // The stylesheet came from Studio itself: the navigation is laid out as a flex row.
            Assert.Equal("flex", await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('nav ul')).display"));
        }
        Assert.Empty(studio.OffLoopback);
        Assert.Empty(studio.Problems);
    }
}
