using System.Text;
using InferCost.Core.Contract;
using InferCost.Core.Formatting;
using InferCost.Core.Importers;
using InferCost.Core.Reading;
using InferCost.Ledger;
using InferCost.Studio.Hosting;
using Microsoft.AspNetCore.Antiforgery;

namespace InferCost.Studio.Pages;

/// <summary>The Import page: a form that posts one file, then either what was imported or every problem with its
/// line and column, and what the ledger holds.</summary>
internal static class ImportPage
{
    /// <param name="Upload">The upload, for the "read as" and "filled" lines (null when it was refused).</param>
    public sealed record Result(string? Problem, ImportOutcome? Outcome, string? Label, UploadedTrace? Upload = null);

    /// <summary>Every format the upload takes, "auto" first, each with what it is.</summary>
    private static string FormatSelect()
    {
        var html = new StringBuilder("<label for=\"format\">Format</label><select id=\"format\" name=\"format\">");
        foreach (var name in ImportFormats.Names)
        {
            var text = name == ImportFormats.Auto ? "auto: detect from the content" : $"{name}: {Describe(name)}";
            html.Append("<option value=\"").Append(Html.E(name)).Append("\">").Append(Html.E(text)).Append("</option>");
        }
        return html.Append("</select>").ToString();
    }

    private static string Describe(string format) => format switch
    {
        ImportFormats.Contract => "contract rows (CSV, JSON or JSON Lines)",
        ImportFormats.Events => "request events (CSV, JSON or JSON Lines)",
        _ => ImportFormats.Importers.First(i => i.Name == format).Description,
    };

    /// <summary>The fill-ins, for formats that do not log a field; a value in the file wins over one given here.</summary>
    private static string FillInFields()
    {
        var html = new StringBuilder("<fieldset class=\"stack\" aria-describedby=\"fill-hint\"><legend>Fill-ins (optional)</legend>");
        html.Append("<p id=\"fill-hint\"><small>For formats that do not log these fields (e.g. a vLLM or llmperf result has no route or workload). ")
            .Append("A value in the file wins; the import says which fields were filled.</small></p>");
        html.Append("<label for=\"route\">Route</label><select id=\"route\" name=\"route\"><option value=\"\">(from the file)</option>");
        foreach (var route in Routes.All)
        {
            html.Append("<option>").Append(Html.E(route)).Append("</option>");
        }
        html.Append("</select>");
        html.Append(Html.Field("workload", "Workload", null, attributes: "maxlength=\"200\""));
        html.Append(Html.Field("provider", "Provider", null, attributes: "maxlength=\"200\""));
        html.Append(Html.Field("model", "Model", null, attributes: "maxlength=\"200\""));
        html.Append(Html.Field("concurrency", "Concurrency", null, type: "number", hint: "Only for formats that log neither concurrency nor start times (llmperf).",
            attributes: "min=\"1\" step=\"1\" inputmode=\"numeric\""));
        return html.Append("</fieldset>").ToString();
    }

    public static string Render(AntiforgeryTokenSet tokens, LedgerSnapshot snapshot, Result? result)
    {
        var body = new StringBuilder();
        if (result is not null)
        {
            // One element that only an answer page has, saying how the upload ended: what a script (or a test)
            // waits for after submitting, rather than a page load event.
            var status = result.Outcome is null ? "refused" : result.Outcome.Committed ? "imported" : "invalid";
            body.Append("<div id=\"import-outcome\" data-outcome=\"").Append(status).Append("\">").Append(Outcome(result)).Append("</div>");
        }
        body.Append("<section aria-labelledby=\"upload-h\"><h2 id=\"upload-h\">Upload traces</h2>");
        body.Append("<p>A contract file (CSV, JSON or JSON Lines, Trace Kit v1), request events, or a benchmark, gateway or provider log. ")
            .Append("The format is detected from the content unless you choose one. The whole file is checked first: if anything in it is invalid, nothing is imported.</p>");
        body.Append("<form method=\"post\" action=\"/import\" enctype=\"multipart/form-data\" class=\"stack\">");
        body.Append("<input type=\"hidden\" name=\"").Append(Html.E(tokens.FormFieldName)).Append("\" value=\"").Append(Html.E(tokens.RequestToken)).Append("\">");
        body.Append("<label for=\"file\">Trace file</label><input id=\"file\" name=\"file\" type=\"file\" required accept=\".csv,.json,.jsonl,.ndjson,text/csv,application/json\">");
        body.Append(FormatSelect());
        body.Append(FillInFields());
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
            if (result.Upload is { } read)
            {
                html.Append(Html.Notice("warning", ReadAs(read)));
            }
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
        if (result.Upload is { } upload)
        {
            html.Append(Html.Notice("ok", ReadAs(upload)));
        }
        foreach (var file in outcome.Files)
        {
            var what = file.Source.Reader is null ? "rows" : "events";
            var text = file.Status == ImportStatus.Imported
                ? $"{file.Source.Path}: imported {Fmt.Integer(file.Result!.ValidRows)} {what} ({file.Source.FormatName ?? TraceFormats.Name(file.Source.Format)}, sha256 {file.Source.Sha256[..12]}…)."
                : $"{file.Source.Path}: already in the ledger (same content as {file.PreviousPath}); nothing added.";
            html.Append(Html.Notice("ok", text));
            foreach (var warning in file.Result?.Diagnostics.Warnings ?? [])
            {
                html.Append(Html.Notice("warning", "warning: " + warning.ToSentence(file.Source.Path)));
            }
        }
        return html.Append("<p><a href=\"/\">See the overview</a></p></section>").ToString();
    }

    /// <summary>Which format the file was read as (detected or chosen) and which fields the fill-ins supplied.</summary>
    internal static string ReadAs(UploadedTrace upload)
    {
        var how = upload.Detected ? "detected from the content" : "as chosen";
        var filled = upload.Filled.Count == 0 ? "no fields filled: every field was read from the file" : "filled, not read from the file: " + string.Join("; ", upload.Filled);
        return $"Read as {ImportFormats.Describe(upload.ImportFormat)}, {how}; {filled}.";
    }

    /// <summary>What the ledger holds: rows per route and workload, and every import with its provenance.</summary>
    internal static string LedgerContents(LedgerSnapshot snapshot)
    {
        if (snapshot.IsEmpty)
        {
            return "<section><h2>The ledger</h2><p>No traces yet.</p></section>";
        }
        var html = new StringBuilder("<section aria-labelledby=\"ledger-h\"><h2 id=\"ledger-h\">The ledger</h2>");
        html.Append("<p>").Append(Html.E(Fmt.Integer(snapshot.Summary.TotalRows))).Append(" rows")
            .Append(snapshot.EventCount > 0 ? " and " + Html.E(Fmt.Integer(snapshot.EventCount)) + " request events" : string.Empty).Append(" in <code>").Append(Html.E(snapshot.Summary.Path)).Append("</code>.</p>");
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
