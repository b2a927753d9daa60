using System.Text;
using InferCost.Core.Formatting;
using InferCost.Core.Reading;
using InferCost.Ledger;
using InferCost.Studio.Hosting;
using Microsoft.AspNetCore.Antiforgery;

namespace InferCost.Studio.Pages;

/// <summary>The Import page: a form that posts one file, then either what was imported or every problem with its
/// line and column, and what the ledger holds.</summary>
internal static class ImportPage
{
    public sealed record Result(string? Problem, ImportOutcome? Outcome, string? Label);

    public static string Render(AntiforgeryTokenSet tokens, LedgerSnapshot snapshot, Result? result)
    {
        var body = new StringBuilder();
        if (result is not null)
        {
            body.Append(Outcome(result));
        }
        body.Append("<section aria-labelledby=\"upload-h\"><h2 id=\"upload-h\">Upload traces</h2>");
        body.Append("<p>A contract file (CSV, JSON or JSON Lines, Trace Kit v1). The whole file is checked first: if any row breaks the contract, nothing is imported.</p>");
        body.Append("<form method=\"post\" action=\"/import\" enctype=\"multipart/form-data\" class=\"stack\">");
        body.Append("<input type=\"hidden\" name=\"").Append(Html.E(tokens.FormFieldName)).Append("\" value=\"").Append(Html.E(tokens.RequestToken)).Append("\">");
        body.Append("<label for=\"file\">Trace file</label><input id=\"file\" name=\"file\" type=\"file\" required accept=\".csv,.json,.jsonl,.ndjson,text/csv,application/json\">");
        body.Append("<label for=\"format\">Format</label><select id=\"format\" name=\"format\"><option value=\"auto\">Detect from the name and content</option><option value=\"csv\">CSV</option><option value=\"json\">JSON</option><option value=\"jsonl\">JSON Lines</option></select>");
        body.Append("<button type=\"submit\">Import</button></form></section>");
        body.Append(LedgerContents(snapshot));
        return Layout.Page("Import", "Import", body.ToString());
    }

    private static string Outcome(Result result)
    {
        if (result.Outcome is null)
        {
            return Html.Notice("error", result.Problem ?? "The upload failed.");
        }
        var outcome = result.Outcome;
        var html = new StringBuilder();
        if (!outcome.Committed)
        {
            html.Append("<section aria-labelledby=\"errors-h\" id=\"import-errors\"><h2 id=\"errors-h\">Nothing was imported</h2>");
            html.Append(Html.Notice("error", $"{result.Label} breaks the contract; the ledger is unchanged. Fix these and upload again."));
            foreach (var file in outcome.Files.Where(f => f.Result is not null))
            {
                var diagnostics = file.Result!.Diagnostics;
                html.Append(Html.Table($"Problems in {file.Source.Path}",
                    ["Line", "Column", "Value", "Problem"],
                    diagnostics.Errors.Select(d => (IReadOnlyList<string>)
                    [
                        Html.E(d.Line > 0 ? d.Line.ToString(System.Globalization.CultureInfo.InvariantCulture) : "—"),
                        Html.E(d.ColumnNumber is { } n ? $"{n} ({d.Column})" : d.Column ?? "—"),
                        "<code>" + Html.E(d.Value ?? string.Empty) + "</code>",
                        Html.E(d.ToSentence(file.Source.Path)),
                    ]), id: "error-table"));
                var hidden = diagnostics.ErrorCount - diagnostics.Errors.Count;
                if (hidden > 0)
                {
                    html.Append("<p>… and ").Append(hidden).Append(" more errors not shown.</p>");
                }
            }
            return html.Append("</section>").ToString();
        }
        html.Append("<section aria-labelledby=\"done-h\" id=\"import-result\"><h2 id=\"done-h\">Imported</h2>");
        foreach (var file in outcome.Files)
        {
            var text = file.Status == ImportStatus.Imported
                ? $"{file.Source.Path}: imported {Fmt.Integer(file.Result!.ValidRows)} rows ({TraceFormats.Name(file.Source.Format)}, sha256 {file.Source.Sha256[..12]}…)."
                : $"{file.Source.Path}: already in the ledger (same content as {file.PreviousPath}); nothing added.";
            html.Append(Html.Notice("ok", text));
            foreach (var warning in file.Result?.Diagnostics.Warnings ?? [])
            {
                html.Append(Html.Notice("warning", "warning: " + warning.ToSentence(file.Source.Path)));
            }
        }
        return html.Append("<p><a href=\"/\">See the overview</a></p></section>").ToString();
    }

    /// <summary>What the ledger holds: rows per route and workload, and every import with its provenance.</summary>
    internal static string LedgerContents(LedgerSnapshot snapshot)
    {
        if (snapshot.IsEmpty)
        {
            return "<section><h2>The ledger</h2><p>No traces yet.</p></section>";
        }
        var html = new StringBuilder("<section aria-labelledby=\"ledger-h\"><h2 id=\"ledger-h\">The ledger</h2>");
        html.Append("<p>").Append(Html.E(Fmt.Integer(snapshot.Summary.TotalRows))).Append(" rows in <code>").Append(Html.E(snapshot.Summary.Path)).Append("</code>.</p>");
        html.Append(Html.Table("Rows per route and workload", ["Workload", "Route", "Rows", "Requests"],
            snapshot.Summary.Counts.Select(c => (IReadOnlyList<string>)[Html.E(c.Workload), Html.E(c.Route), Html.E(Fmt.Integer(c.Rows)), Html.E(Fmt.Integer(c.Requests))]), id: "ledger-rows"));
        html.Append(Html.Table("Imports", ["#", "Source", "Format", "Rows", "SHA-256", "Imported at (UTC)"],
            snapshot.Summary.Imports.Select(i => (IReadOnlyList<string>)
            [
                Html.E(i.ImportId), Html.E(i.SourcePath), Html.E(i.Format), Html.E(Fmt.Integer(i.RowCount)),
                "<code>" + Html.E(i.Sha256[..Math.Min(12, i.Sha256.Length)]) + "…</code>",
                Html.E(i.ImportedAt.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)),
            ]), id: "imports"));
        return html.Append("</section>").ToString();
    }
}
