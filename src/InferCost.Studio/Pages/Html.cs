using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace InferCost.Studio.Pages;

/// <summary>Builds page HTML without Razor. Every user-supplied string goes through <see cref="E"/>; raw markup
/// only ever comes from this project's own literals or from renderers that escape (SvgCharts).</summary>
internal static class Html
{
    // All of Unicode passes through readable; only markup-significant characters are encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>HTML-encodes text for an element body or a quoted attribute value.</summary>
    public static string E(string? text) => Encoder.Encode(text ?? string.Empty);

    public static string E(object? value) => E(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>URL-encodes a value for a query string or path segment, then HTML-encodes the result for an href.</summary>
    public static string U(string? text) => E(Uri.EscapeDataString(text ?? string.Empty));

    /// <summary>A table: headers are literals, cells are already-encoded HTML.</summary>
    public static string Table(string caption, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, string? id = null)
    {
        var html = new StringBuilder();
        html.Append("<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"").Append(E(caption)).Append("\">");
        html.Append("<table").Append(id is null ? string.Empty : $" id=\"{E(id)}\"").Append("><caption>").Append(E(caption)).Append("</caption><thead><tr>");
        foreach (var header in headers)
        {
            html.Append("<th scope=\"col\">").Append(E(header)).Append("</th>");
        }
        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                html.Append("<td>").Append(cell).Append("</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table></div>");
        return html.ToString();
    }

    /// <summary>A labelled input for a GET or POST form.</summary>
    public static string Field(string name, string label, string? value, string type = "text", string? hint = null, string? attributes = null, string? id = null)
    {
        id ??= name;
        return $"<label for=\"{E(id)}\">{E(label)}</label><input id=\"{E(id)}\" name=\"{E(name)}\" type=\"{E(type)}\" value=\"{E(value)}\"{(attributes is null ? string.Empty : " " + attributes)}" +
            (hint is null ? ">" : $" aria-describedby=\"{E(id)}-hint\"><small id=\"{E(id)}-hint\">{E(hint)}</small>");
    }

    public static string Notice(string kind, string text) => $"<p class=\"notice {E(kind)}\" role=\"{(kind == "error" ? "alert" : "status")}\">{E(text)}</p>";

    /// <summary>A labelled select; options are plain text, the matching one (case-insensitive) is selected.</summary>
    public static string Select(string name, string label, IEnumerable<string> options, string? selected)
    {
        var html = new StringBuilder($"<label for=\"{E(name)}\">{E(label)}</label><select id=\"{E(name)}\" name=\"{E(name)}\">");
        foreach (var option in options)
        {
            var isSelected = string.Equals(option, selected, StringComparison.OrdinalIgnoreCase) ? " selected" : string.Empty;
            html.Append("<option").Append(isSelected).Append('>').Append(E(option)).Append("</option>");
        }
        return html.Append("</select>").ToString();
    }
}
