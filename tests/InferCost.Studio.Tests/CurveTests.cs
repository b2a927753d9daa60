using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace InferCost.Studio.Tests;

/// <summary>The cost curve: the API mirrors <c>infercost curve</c>, and the Workload page's sliders move it in place.</summary>
[Collection(BrowserFixture.Collection)]
public class CurveTests(BrowserFixture browser)
{
    private static readonly string Examples = StudioHost.Fixture("example-traces.csv");

    private static double? DedicatedBreakEven(JsonNode curve) => curve["breakEvens"]!.AsArray()
        .Single(b => (string?)b!["route"] == "Dedicated endpoint" && (string?)b["against"] == "Hosted open-weight serverless")!["monthlyAcceptedOutputs"]?.GetValue<double>();

    [Fact]
    public async Task Curve_equals_what_infercost_curve_prints_and_a_dearer_gpu_moves_the_break_even_later()
    {
        using var host = new StudioHost();
        var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/import", StudioHost.Upload("example-traces.csv", File.ReadAllText(Examples)))).StatusCode);

        var api = JsonNode.Parse(await client.GetStringAsync("/api/curve?workload=support-policy"))!;
        var cli = StudioHost.Cli("curve", "--workload", "support-policy", "--ledger", host.LedgerPath, "--format", "json");
        Assert.Equal(0, cli.Exit);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(cli.Out), api), "GET /api/curve differs from infercost curve --format json");
        Assert.Equal("infercost.curve/v1", (string?)api["schema"]);

        var measured = DedicatedBreakEven(api);
        var dearer = DedicatedBreakEven(JsonNode.Parse(await client.GetStringAsync("/api/curve?workload=support-policy&gpuPrice=2"))!);
        Assert.NotNull(measured);
        Assert.NotNull(dearer);
        // A dedicated replica costing twice as much must carry more volume before it beats per-token pricing.
        Assert.True(dearer > measured * 1.5, $"break-even {measured} → {dearer}");

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/curve?workload=support-policy&gpuPrice=50")).StatusCode);
        var unknown = await client.GetAsync("/api/curve?workload=nope");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("support-policy", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Moving_a_slider_redraws_the_curve_and_the_break_even_without_a_reload()
    {
        await using var studio = await LiveStudio.StartAsync();
        using (var http = new HttpClient())
        {
            var form = StudioHost.Upload("example-traces.csv", File.ReadAllText(Examples));
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsync(studio.Url + "/api/import", form)).StatusCode);
        }
        var page = await studio.PageAsync(browser);
        await page.GotoAsync(studio.Url + "/workload/support-policy");
        await page.EvaluateAsync("window.sameDocument = true");
        var breakEven = page.Locator("#breakeven");
        var before = await breakEven.InnerTextAsync();
        var chartBefore = await page.Locator("#curve-chart").InnerHTMLAsync();
        Assert.Contains("Break-even", before);

        var slider = page.GetByLabel("GPU price");
        await slider.FocusAsync();
        for (var i = 0; i < 10; i++)
        {
            await slider.PressAsync("ArrowRight"); // keyboard: ×1 → ×1.5 in steps of 0.05
        }
        Assert.Equal("×1.5", await page.Locator("#gpuPrice-value").InnerTextAsync());
        // The presses each start a debounced redraw; an earlier one (×1.25, say) may land first on a slow machine.
        // Wait for the panel to say it shows ×1.5, the setting the test asked for.
        await page.WaitForFunctionAsync("() => new URLSearchParams(document.querySelector('#curve-panel').dataset.shows || '').get('gpuPrice') === '1.5'");

        Assert.NotEqual(before, await breakEven.InnerTextAsync());
        Assert.NotEqual(chartBefore, await page.Locator("#curve-chart").InnerHTMLAsync());
        Assert.True(await page.EvaluateAsync<bool>("window.sameDocument === true"), "the page reloaded");
        Assert.Contains("gpuPrice=1.5", page.Url);
        Assert.Empty(studio.Problems);
        Assert.Empty(studio.OffLoopback);
    }
}
