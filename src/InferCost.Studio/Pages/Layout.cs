using System.Text;

namespace InferCost.Studio.Pages;

/// <summary>The frame every page shares: a skip link, the navigation and one main region. Assets are served by
/// Studio itself (<c>/assets/…</c>), so pages work offline.</summary>
internal static class Layout
{
    private static readonly (string Path, string Label)[] Navigation =
    [
        ("/", "Overview"), ("/import", "Import"), ("/workload", "Workload"), ("/fit", "Fit"),
        ("/simulate", "Simulate"), ("/procurement", "Procurement"), ("/reports", "Reports"),
    ];

    public static string Page(string title, string active, string body, bool script = false)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<title>").Append(Html.E(title)).Append(" · InferCost Studio</title>");
        html.Append("<link rel=\"stylesheet\" href=\"/assets/studio.css\">");
        if (script)
        {
            html.Append("<script src=\"/assets/studio.js\" defer></script>");
        }
        html.Append("</head><body><a class=\"skip\" href=\"#main\">Skip to content</a>");
        html.Append("<header><p class=\"brand\">InferCost Studio</p><nav aria-label=\"Studio pages\"><ul>");
        foreach (var (path, label) in Navigation)
        {
            var current = label == active ? " aria-current=\"page\"" : string.Empty;
            html.Append("<li><a href=\"").Append(path).Append('"').Append(current).Append('>').Append(label).Append("</a></li>");
        }
        html.Append("</ul></nav></header><main id=\"main\" tabindex=\"-1\"><h1>").Append(Html.E(title)).Append("</h1>");
        html.Append(body);
        html.Append("</main><footer><p>Cost per accepted output at target p95 latency. Served from this machine; nothing leaves it.</p></footer></body></html>");
        return html.ToString();
    }
}
