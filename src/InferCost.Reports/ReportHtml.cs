using System.Globalization;
using System.Net;
using InferCost.Core.Formatting;
using InferCost.Core.Metrics;
using InferCost.Core.Reporting;

namespace InferCost.Reports;

/// <summary>report.html: one self-contained file (inline CSS and SVG, no scripts, no external references),
/// readable on screen and printed. Every user string is HTML-encoded.</summary>
public static class ReportHtml
{
    private const string Style = """
        body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1b1f24;max-width:1100px;margin:2rem auto;padding:0 1rem}
        h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
        table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.8rem 0}
        th,td{border:1px solid #d0d7de;padding:.3rem .45rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
        tr.group th{background:#eaeef2;text-align:left}
        th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
        tr.miss td{background:#fff5f5}.missmark{color:#a40e26;font-weight:600}
        table.answer td{font-size:.9rem}table.answer td:first-child{white-space:nowrap}
        .metric{background:#eef6ff;border-left:4px solid #1f77b4;padding:.6rem 1rem}
        .none{color:#a40e26;font-weight:600}.warn{color:#9a6700}.note{font-size:.85rem;color:#57606a}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:1rem}
        .card{border:1px solid #d0d7de;border-radius:6px;padding:.8rem 1rem}
        .card h3{margin:.1rem 0 .5rem}.missing{color:#a40e26}
        svg.chart{max-width:760px;display:block;margin:1rem 0}
        svg .title{font:600 14px system-ui,sans-serif}svg .label{font:11px system-ui,sans-serif}
        svg .value,svg .tick{font:10px system-ui,sans-serif;fill:#57606a}svg .axis{font:12px system-ui,sans-serif}
        svg .grid{stroke:#d0d7de}svg .target{stroke:#a40e26;stroke-dasharray:6 4;stroke-width:1.5}svg .miss{fill:#a40e26}
        @page{size:A4;margin:12mm}
        @media print{body{margin:0;max-width:none;padding:0;font-size:10.5px}h1{font-size:1.3rem;margin:0 0 .4rem}h2{break-after:avoid;margin-top:1rem}
        table{font-size:8px}th,td{padding:.1rem .2rem}svg.chart{max-width:100%;break-inside:avoid}.card,figure{break-inside:avoid}tr{break-inside:avoid}
        table.answer td{font-size:9.5px}#appendix{break-before:page}section.answer-page{break-after:page}}
        figure{margin:0}figcaption{font-size:.85rem;color:#57606a}
        """;

    public static void Write(TextWriter o, ReportModel m)
    {
        o.Write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
        o.Write($"<title>{E(m.Title)}</title><style>{Style}</style></head><body>\n");
        o.Write("<section class=\"answer-page\">\n");
        o.Write($"<h1>{E(m.Title)}</h1>\n<p class=\"metric\">{E(m.RecommendedMetric)}</p>\n");
        WriteAnswers(o, m);
        o.Write($"<p><strong>How the number is computed:</strong> <code>{E(MetricsAssumptions.CostPerAcceptedOutputFormula)}</code>, reviewer time at <strong>${E(m.Assumptions.ReviewerUsdPerHour.ToString(CultureInfo.InvariantCulture))}/hour</strong>: {E(MetricsAssumptions.FormulaNote)}. Percentiles are never averaged: a group of several rows shows its worst row's p95.</p>\n");
        o.Write("</section>\n");

        o.Write("<h2 id=\"charts\">Cost and p95 by route</h2>\n");
        foreach (var c in m.Charts)
        {
            o.Write($"<h3>{E(c.Workload)}</h3>\n");
            Figure(o, SvgCharts.Bars(c.CostPerAcceptedOutput), c.CostPerAcceptedOutput.NotDrawn);
            Figure(o, SvgCharts.Lines(c.P95ByConcurrency), c.P95ByConcurrency.NotDrawn);
        }

        o.Write("<h2 id=\"routes\">Every route measured: cost and acceptance</h2>\n");
        o.Write($"<p class=\"note\">{E(ReportMarkdown.MissLegend)}</p>\n");
        o.Write("<table><thead><tr><th>route (provider)</th><th>model</th><th>conc.</th><th>cost per accepted output</th><th>95% interval</th><th>cost source</th><th>model cost per accepted</th><th>playbook literal</th><th>acceptance</th><th>outputs</th><th>p95 against target</th></tr></thead><tbody>\n");
        string? workload = null;
        foreach (var g in m.Groups)
        {
            GroupRow(o, m, g, ref workload, 11);
            var cost = g.CostPerAcceptedOutputUsd is null ? $"<span class=\"none\">null</span> ({E(g.CostReason)})" : E(Fmt.Usd(g.CostPerAcceptedOutputUsd));
            var n = E(Fmt.Integer(g.Requests)) + (g.SmallSample == true ? " <span class=\"warn\">small sample</span>" : string.Empty);
            o.Write($"<tr{Miss(m, g)}><td>{E(g.Route)} ({E(g.Provider)})</td><td>{E(g.Model)}</td><td class=\"num\">{g.Concurrency}</td><td class=\"num\">{cost}</td><td class=\"num\">{E(ReportMarkdown.Interval(g))}</td><td>{E(ReportMarkdown.CostSourceText(g))}</td><td class=\"num\">{E(Fmt.Usd(g.ModelCostPerAcceptedOutputUsd))}</td><td class=\"num\">{E(Fmt.Usd(g.PlaybookCostPerAcceptedOutputUsd))}</td><td class=\"num\">{E(Fmt.Share(g.AcceptedOutputRate))}</td><td class=\"num\">{n}</td><td>{MissCell(ReportMarkdown.TargetText(m, g))}</td></tr>\n");
        }
        o.Write("</tbody></table>\n");
        o.Write("<h2 id=\"routes-latency\">Every route measured: latency, cache and capacity</h2>\n");
        o.Write("<table><thead><tr><th>route</th><th>model</th><th>conc.</th><th>p95</th><th>p99</th><th>cache hit</th><th>cache-adj. input tokens</th><th>headroom tok/s</th><th>batch</th><th>retry</th><th>util.</th><th>fallback</th></tr></thead><tbody>\n");
        workload = null;
        foreach (var g in m.Groups)
        {
            GroupRow(o, m, g, ref workload, 12);
            o.Write($"<tr{Miss(m, g)}><td>{E(g.Route)}</td><td>{E(g.Model)}</td><td class=\"num\">{g.Concurrency}</td><td class=\"num\">{MissCell(ReportMarkdown.P95Text(m, g))}</td><td class=\"num\">{E(Fmt.Ms(g.LatencyP99Ms))}</td><td class=\"num\">{E(Fmt.Share(g.CacheHitRate))}</td><td class=\"num\">{E(Fmt.Number(g.CacheAdjustedInputTokens))}</td><td class=\"num\">{E(Fmt.Number(g.ThroughputHeadroomTokensPerSecond))}</td><td class=\"num\">{E(Fmt.Share(g.BatchEligibleShare))}</td><td class=\"num\">{E(Fmt.Number(g.RetryRate, "0.##"))}</td><td class=\"num\">{E(Fmt.Share(g.Utilization))}</td><td>{E(g.FallbackRoute ?? "—")}</td></tr>\n");
        }
        o.Write("</tbody></table>\n");
        if (m.PriceGapWarnings.Count > 0)
        {
            o.Write("<p>Observed cost against the price catalog (token rows against live token prices, GPU-hour rows against GPU-hour economics):</p><ul>");
            foreach (var warning in m.PriceGapWarnings)
            {
                o.Write($"<li class=\"warn\">{E(warning.Sentence)}</li>");
            }
            o.Write("</ul>\n");
        }

        o.Write("<h2 id=\"break-evens\">Break-even volumes</h2>\n");
        if (m.CostCurves.Count == 0)
        {
            o.Write("<p>Not computed: the report was built without a price catalog, so no route could be priced against volume.</p>\n");
        }
        else
        {
            var rows = m.CostCurves.SelectMany(c => c.BreakEvens.Select(b => (c.Workload, b))).ToList();
            if (rows.Count > 0)
            {
                o.Write("<table><thead><tr><th>workload</th><th>capacity route</th><th>against</th><th>break-even</th></tr></thead><tbody>\n");
                foreach (var (curveWorkload, b) in rows)
                {
                    o.Write($"<tr><td>{E(curveWorkload)}</td><td>{E(b.Route)}</td><td>{E(b.Against)}</td><td>{E(CurveText.BreakEvenText(b))}</td></tr>\n");
                }
                o.Write("</tbody></table>\n");
            }
            o.Write("<ul>");
            foreach (var curve in m.CostCurves)
            {
                var none = curve.BreakEvens.Count == 0 ? $"no break-even: {ReportMarkdown.NoBreakEvenReason(curve)}. " : "";
                o.Write($"<li><strong>{E(curve.Workload)}</strong>: {E(none)}driver that matters most — {E(curve.MostSensitiveDriver ?? "none (no route could be priced)")}.</li>");
            }
            o.Write("</ul>\n");
        }

        o.Write("<h2 id=\"assumptions\">Assumptions</h2>\n<ul>");
        o.Write($"<li>Reviewer rate: ${E(m.Assumptions.ReviewerUsdPerHour.ToString(CultureInfo.InvariantCulture))} per hour.</li>");
        o.Write($"<li>p95 targets: {E(ReportMarkdown.TargetsText(m))}.</li>");
        o.Write($"<li>Combining rows: {E(m.Assumptions.Weighting)}.</li><li>Percentiles: {E(m.Assumptions.Percentiles)}.</li>");
        o.Write($"<li>Confidence: {E(m.Assumptions.Interval)}; fewer than {m.Assumptions.SmallSampleOutputs} outputs is a small sample.</li></ul>\n");

        o.Write("<section id=\"appendix\">\n<h1>Appendix</h1>\n<p>Detail behind the answer: cost curves per workload, input tokens, the playbook's route cards and cost levers, the procurement matrix, inputs and sources.</p>\n");
        o.Write("<h2 id=\"headline\">Headline per workload in detail</h2>\n<table><thead><tr><th>workload</th><th>p95 target</th><th>best route</th><th>model</th><th>conc.</th><th>cost per accepted output</th><th>95% interval</th><th>p95</th><th>vs runner-up</th><th>ranking</th></tr></thead><tbody>\n");
        foreach (var w in m.Headlines)
        {
            var target = w.TargetP95Ms is { } t ? $"{Fmt.Ms(t)} ({w.TargetSource})" : "none";
            if (w.Best is { } b)
            {
                var saving = w.SavingVsRunnerUpShare is { } s ? $"{Fmt.Share(s)} cheaper than {w.RunnerUp!.Label}" : "only qualifying group";
                o.Write($"<tr><td>{E(w.Workload)}</td><td>{E(target)}</td><td><strong>{E(b.Route)}</strong></td><td>{E(b.Model)}</td><td class=\"num\">{b.Concurrency}</td><td class=\"num\"><strong>{E(Fmt.Usd(b.CostPerAcceptedOutputUsd))}</strong></td><td class=\"num\">{E(ReportMarkdown.Interval(b))}</td><td class=\"num\">{E(Fmt.Ms(b.LatencyP95Ms))}</td><td>{E(saving)}</td><td>{E(ReportMarkdown.Ranking(w))}</td></tr>\n");
            }
            else
            {
                o.Write($"<tr><td>{E(w.Workload)}</td><td>{E(target)}</td><td class=\"none\">none</td><td colspan=\"7\">{E(w.Reason)}</td></tr>\n");
            }
        }
        o.Write("</tbody></table>\n");

        o.Write("<h2 id=\"cost-curves\">Cost curves and input tokens</h2>\n");
        foreach (var c in m.Charts)
        {
            o.Write($"<h3>{E(c.Workload)}</h3>\n");
            if (c.CostCurve is { } curveChart)
            {
                Figure(o, SvgCharts.LogLines(curveChart), curveChart.NotDrawn);
            }
            var curve = m.CostCurves.FirstOrDefault(x => x.Workload == c.Workload);
            if (curve is not null && curve.CapacityRoutes.Count > 0)
            {
                o.Write($"<p class=\"note\">Capacity routes: {E(string.Join("; ", curve.CapacityRoutes.Select(r => $"{r.Route}: {r.Basis}, {r.Source ?? r.HourlyPriceSource}{(r.Replica is { } replica ? ", replica: " + replica.Assumption : "")}")))}</p>\n");
            }
            Figure(o, SvgCharts.PairedBars(c.InputTokens), []);
        }

        o.Write("<h2 id=\"route-cards\">Route cards</h2>\n<div class=\"cards\">\n");
        foreach (var r in m.RouteCards)
        {
            o.Write($"<section class=\"card\"><h3>{E(r.Route)}</h3><p><strong>Best for:</strong> {E(r.BestFor)}</p><p><strong>Cost drivers:</strong> {E(string.Join(", ", r.CostDrivers))}</p><p><strong>Watch-outs:</strong> {E(r.Watchouts)}</p><p><strong>Buyer decision:</strong> {E(r.BuyerDecision)}</p><p><strong>What this data says:</strong> {E(r.Finding)}</p></section>\n");
        }
        o.Write("</div>\n");

        o.Write("<h2 id=\"levers\">Cost levers</h2>\n");
        foreach (var l in m.Levers)
        {
            o.Write($"<h3>{E(l.Lever)}</h3><p><em>{E(l.Question)}</em> {E(l.Impact)}</p><ul>");
            foreach (var f in l.Found)
            {
                o.Write($"<li>Evidence: {E(f)}</li>");
            }
            foreach (var x in l.Missing)
            {
                o.Write($"<li class=\"missing\"><strong>Missing:</strong> {E(x)}</li>");
            }
            if (l.Found.Count == 0 && l.Missing.Count == 0)
            {
                o.Write("<li>Nothing in these traces speaks to this lever.</li>");
            }
            o.Write("</ul>\n");
        }

        if (m.Procurement is { } procurement)
        {
            ProcurementHtml.WriteSection(o, procurement);
        }

        o.Write("<h2 id=\"inputs\">Inputs</h2>\n<ul>");
        foreach (var i in m.Inputs)
        {
            o.Write($"<li><code>{E(i.Path)}</code> ({E(i.Format)}, {E(Fmt.Integer(i.Rows))} rows, sha256 <code>{E(i.Sha256[..Math.Min(16, i.Sha256.Length)])}</code>)</li>");
        }
        if (m.Inputs.Count == 0)
        {
            o.Write("<li>No input files were recorded.</li>");
        }
        o.Write("</ul>\n<h2 id=\"sources\">Source trail</h2>\n<ul>");
        foreach (var s in m.SourceTrail)
        {
            // Sources are cited as text, not links, so the file makes no external references.
            o.Write($"<li><strong>{E(s.Label)}</strong> ({E(s.Url)}): {E(s.Signal)}</li>");
        }
        o.Write("</ul>\n</section>\n</body></html>\n");
    }

    /// <summary>The first screen: per workload the winner, by how much, how sure, and the top missing evidence.</summary>
    private static void WriteAnswers(TextWriter o, ReportModel m)
    {
        o.Write("<h2 id=\"answer\">The answer per workload</h2>\n");
        if (m.Answers.Count == 0)
        {
            o.Write("<p>No workload was measured: the traces hold no rows.</p>\n");
            return;
        }
        o.Write("<table class=\"answer\"><thead><tr><th>workload</th><th>winner</th><th>by how much</th><th>how sure</th><th>top missing evidence</th></tr></thead><tbody>\n");
        foreach (var a in m.Answers)
        {
            var missing = a.MissingEvidence.Count == 0 ? "none found" : "<ol>" + string.Concat(a.MissingEvidence.Select(x => $"<li>{E(x)}</li>")) + "</ol>";
            var winnerClass = a.Margin == "—" ? " class=\"none\"" : "";
            o.Write($"<tr><td><strong>{E(a.Workload)}</strong>{(a.TargetText is { } t ? $"<br>{E(t)}" : "")}</td><td{winnerClass}>{E(a.Winner)}</td><td>{E(a.Margin)}</td><td>{E(a.Certainty)}</td><td>{missing}</td></tr>\n");
        }
        o.Write("</tbody></table>\n");
    }

    /// <summary>A chart with, beside it, every route or group it leaves out and why.</summary>
    private static void Figure(TextWriter o, string svg, IReadOnlyList<string> notDrawn)
    {
        o.Write("<figure>");
        o.Write(svg);
        if (notDrawn.Count > 0)
        {
            o.Write($"<figcaption>Not drawn: {E(string.Join("; ", notDrawn))}</figcaption>");
        }
        o.Write("</figure>\n");
    }

    /// <summary>A full-width row naming the workload and its target before its first group, instead of a workload column.</summary>
    private static void GroupRow(TextWriter o, ReportModel m, Core.Metrics.GroupMetrics g, ref string? workload, int columns)
    {
        if (g.Workload == workload)
        {
            return;
        }
        workload = g.Workload;
        var target = ReportMarkdown.TargetOf(m, g) is { } t ? $" — p95 target {Fmt.Ms(t)}" : " — no p95 target";
        o.Write($"<tr class=\"group\"><th colspan=\"{columns}\">{E(g.Workload)}{E(target)}</th></tr>\n");
    }

    private static string Miss(ReportModel m, Core.Metrics.GroupMetrics g) => ReportMarkdown.Misses(m, g) ? " class=\"miss\"" : "";

    private static string MissCell(string text) => text.StartsWith('✗') ? $"<span class=\"missmark\">{E(text)}</span>" : E(text);

    internal static string E(string? text) => WebUtility.HtmlEncode(text ?? "—");
}
