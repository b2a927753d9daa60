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
        th,td{border:1px solid #d0d7de;padding:.3rem .45rem;text-align:left;vertical-align:top}
        th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
        .metric{background:#eef6ff;border-left:4px solid #1f77b4;padding:.6rem 1rem}
        .none{color:#a40e26;font-weight:600}.warn{color:#9a6700}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:1rem}
        .card{border:1px solid #d0d7de;border-radius:6px;padding:.8rem 1rem}
        .card h3{margin:.1rem 0 .5rem}.missing{color:#a40e26}
        svg.chart{max-width:760px;display:block;margin:1rem 0}
        svg .title{font:600 14px system-ui,sans-serif}svg .label{font:11px system-ui,sans-serif}
        svg .value,svg .tick{font:10px system-ui,sans-serif;fill:#57606a}svg .axis{font:12px system-ui,sans-serif}
        svg .grid{stroke:#d0d7de}svg .target{stroke:#a40e26;stroke-dasharray:6 4;stroke-width:1.5}
        @media print{body{margin:0;max-width:none}h2{break-after:avoid}svg.chart,table,.card{break-inside:avoid}}
        """;

    public static void Write(TextWriter o, ReportModel m)
    {
        o.Write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
        o.Write($"<title>{E(m.Title)}</title><style>{Style}</style></head><body>\n");
        o.Write($"<h1>{E(m.Title)}</h1>\n<p class=\"metric\">{E(m.RecommendedMetric)}</p>\n");
        o.Write($"<p>Reviewer time priced at <strong>${E(m.Assumptions.ReviewerUsdPerHour.ToString(CultureInfo.InvariantCulture))}/hour</strong>. Percentiles are never averaged: a group of several rows shows its worst row's p95.</p>\n");
        o.Write($"<p><strong>How the number is computed:</strong> <code>{E(MetricsAssumptions.CostPerAcceptedOutputFormula)}</code>: {E(MetricsAssumptions.FormulaNote)}.</p>\n");

        o.Write("<h2 id=\"headline\">Headline per workload</h2>\n<table><thead><tr><th>workload</th><th>p95 target</th><th>best route</th><th>model</th><th>concurrency</th><th>cost per accepted output</th><th>95% interval</th><th>p95</th><th>vs runner-up</th><th>ranking</th></tr></thead><tbody>\n");
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
        o.Write("</tbody></table>\n<ul>\n");
        foreach (var w in m.Headlines)
        {
            o.Write($"<li><strong>{E(w.Workload)}</strong>: {E(w.Reason)}; batch displacement share {E(Fmt.Share(w.BatchDisplacementShare))}.</li>\n");
        }
        o.Write("</ul>\n");

        o.Write("<h2 id=\"charts\">Charts</h2>\n");
        foreach (var c in m.Charts)
        {
            o.Write($"<h3>{E(c.Workload)}</h3>\n");
            o.Write(SvgCharts.Bars(c.CostPerAcceptedOutput));
            o.Write("\n");
            o.Write(SvgCharts.Lines(c.P95ByConcurrency));
            o.Write("\n");
            o.Write(SvgCharts.PairedBars(c.InputTokens));
            o.Write("\n");
            if (c.CostCurve is { } curveChart)
            {
                o.Write(SvgCharts.LogLines(curveChart));
                o.Write("\n");
            }
        }

        o.Write("<h2 id=\"routes\">Every route measured</h2>\n<table><thead><tr><th>workload</th><th>route</th><th>provider</th><th>model</th><th>conc.</th><th>cost per accepted output</th><th>cost source</th><th>95% interval</th><th>model cost per accepted</th><th>acceptance</th><th>p95</th><th>p99</th><th>cache hit</th><th>cache-adj. input tokens</th><th>headroom tok/s</th><th>batch</th><th>retry</th><th>util.</th><th>fallback</th><th>outputs</th></tr></thead><tbody>\n");
        foreach (var g in m.Groups)
        {
            var cost = g.CostPerAcceptedOutputUsd is null ? $"<span class=\"none\">null</span> ({E(g.CostReason)})" : E(Fmt.Usd(g.CostPerAcceptedOutputUsd));
            var p95 = Fmt.Ms(g.LatencyP95Ms) + (g.PercentileSource == "row-max" ? " (worst row)" : string.Empty);
            var n = E(Fmt.Integer(g.Requests)) + (g.SmallSample == true ? " <span class=\"warn\">small sample</span>" : string.Empty);
            o.Write($"<tr><td>{E(g.Workload)}</td><td>{E(g.Route)}</td><td>{E(g.Provider)}</td><td>{E(g.Model)}</td><td class=\"num\">{g.Concurrency}</td><td class=\"num\">{cost}</td><td>{E(ReportMarkdown.CostSourceText(g))}</td><td class=\"num\">{E(ReportMarkdown.Interval(g))}</td><td class=\"num\">{E(Fmt.Usd(g.ModelCostPerAcceptedOutputUsd))}</td><td class=\"num\">{E(Fmt.Share(g.AcceptedOutputRate))}</td><td class=\"num\">{E(p95)}</td><td class=\"num\">{E(Fmt.Ms(g.LatencyP99Ms))}</td><td class=\"num\">{E(Fmt.Share(g.CacheHitRate))}</td><td class=\"num\">{E(Fmt.Number(g.CacheAdjustedInputTokens))}</td><td class=\"num\">{E(Fmt.Number(g.ThroughputHeadroomTokensPerSecond))}</td><td class=\"num\">{E(Fmt.Share(g.BatchEligibleShare))}</td><td class=\"num\">{E(Fmt.Number(g.RetryRate, "0.##"))}</td><td class=\"num\">{E(Fmt.Share(g.Utilization))}</td><td>{E(g.FallbackRoute ?? "—")}</td><td class=\"num\">{n}</td></tr>\n");
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

        if (m.CostCurves.Count > 0)
        {
            o.Write("<h2 id=\"cost-curves\">Cost curves: break-even volumes</h2>\n<table><thead><tr><th>workload</th><th>capacity route</th><th>against</th><th>break-even</th></tr></thead><tbody>\n");
            foreach (var curve in m.CostCurves)
            {
                foreach (var b in curve.BreakEvens)
                {
                    o.Write($"<tr><td>{E(curve.Workload)}</td><td>{E(b.Route)}</td><td>{E(b.Against)}</td><td>{E(CurveText.BreakEvenText(b))}</td></tr>\n");
                }
            }
            o.Write("</tbody></table>\n<ul>");
            foreach (var curve in m.CostCurves)
            {
                o.Write($"<li><strong>{E(curve.Workload)}</strong>: driver that matters most — {E(curve.MostSensitiveDriver ?? "none (no route could be priced)")}. Routes: {E(string.Join("; ", curve.CapacityRoutes.Select(r => $"{r.Route} {r.Basis}, {r.Source ?? r.HourlyPriceSource}{(r.Replica is { } replica ? ", replica: " + replica.Assumption : "")}").Concat(curve.Omitted)))}</li>");
            }
            o.Write("</ul>\n");
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
            o.Write("</ul>\n");
        }

        if (m.Procurement is { } procurement)
        {
            ProcurementHtml.WriteSection(o, procurement);
        }
        o.Write("<h2 id=\"assumptions\">Assumptions</h2>\n<ul>");
        o.Write($"<li>Reviewer rate: ${E(m.Assumptions.ReviewerUsdPerHour.ToString(CultureInfo.InvariantCulture))} per hour.</li>");
        o.Write($"<li>p95 targets: {E(ReportMarkdown.TargetsText(m))}.</li>");
        o.Write($"<li>Combining rows: {E(m.Assumptions.Weighting)}.</li><li>Percentiles: {E(m.Assumptions.Percentiles)}.</li>");
        o.Write($"<li>Confidence: {E(m.Assumptions.Interval)}; fewer than {m.Assumptions.SmallSampleOutputs} outputs is a small sample.</li></ul>\n");

        o.Write("<h2 id=\"inputs\">Inputs</h2>\n<ul>");
        foreach (var i in m.Inputs)
        {
            o.Write($"<li><code>{E(i.Path)}</code> ({E(i.Format)}, {E(Fmt.Integer(i.Rows))} rows, sha256 <code>{E(i.Sha256[..Math.Min(16, i.Sha256.Length)])}</code>)</li>");
        }
        o.Write("</ul>\n<h2 id=\"sources\">Source trail</h2>\n<ul>");
        foreach (var s in m.SourceTrail)
        {
            // Sources are cited as text, not links, so the file makes no external references.
            o.Write($"<li><strong>{E(s.Label)}</strong> ({E(s.Url)}): {E(s.Signal)}</li>");
        }
        o.Write("</ul>\n</body></html>\n");
    }

    internal static string E(string? text) => WebUtility.HtmlEncode(text ?? "—");
}
