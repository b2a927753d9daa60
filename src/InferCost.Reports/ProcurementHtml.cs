using InferCost.Core.Procurement;
using static InferCost.Reports.ReportHtml;

namespace InferCost.Reports;

/// <summary>The procurement matrix as a section of report.html.</summary>
public static class ProcurementHtml
{
    public static void WriteSection(TextWriter o, ProcurementMatrix m)
    {
        o.Write($"<h2 id=\"procurement\">{E(m.Title)}</h2>\n<blockquote>{E(m.Principle)}</blockquote>\n");
        o.Write("<table><thead><tr><th>workload</th><th>take now</th><th>owner</th><th>next stage</th><th>blocked by</th><th>evidence to collect next</th></tr></thead><tbody>\n");
        foreach (var r in m.Recommendations)
        {
            var blocked = r.BlockingGate is null ? "—" : $"{E(r.BlockingGate)} ({E(r.BlockingGateStatus)})";
            o.Write($"<tr><td>{E(r.Workload)}</td><td><strong>{E(r.Route)}</strong></td><td>{E(r.Owner)}</td><td>{E(r.NextRoute)}</td><td>{blocked}</td><td>{string.Join("<br>", r.NextEvidence.Select(E))}</td></tr>\n");
        }
        o.Write("</tbody></table>\n");
        foreach (var w in m.Gates.GroupBy(g => g.Workload))
        {
            o.Write($"<h3>Gates — {E(w.Key)}</h3>\n<table><thead><tr><th>gate</th><th>status</th><th>finding</th><th>evidence</th><th>missing</th></tr></thead><tbody>\n");
            foreach (var g in w)
            {
                var evidence = string.Join("<br>", g.Evidence.Select(e => $"{E(e.Item)}: {E(e.Value)} <small>({E(e.Source)})</small>"));
                var missing = string.Join("<br>", g.Missing.Select(E));
                var skipped = g.FailureIfSkipped is { } f ? $"<br><em>If skipped: {E(f)}</em>" : "";
                o.Write($"<tr><td>{E(g.Gate)}</td><td>{E(g.StatusName)}</td><td>{E(g.Finding)}{skipped}</td><td>{evidence}</td><td>{missing}</td></tr>\n");
            }
            o.Write("</tbody></table>\n");
        }
        o.Write("<h3>Readiness</h3>\n<table><thead><tr><th>dimension</th><th>score</th><th>seed example</th><th>note</th><th>formula</th></tr></thead><tbody>\n");
        foreach (var r in m.Readiness)
        {
            o.Write($"<tr><td>{E(r.Dimension)}</td><td>{r.Score}</td><td>{r.SeedExampleScore}</td><td>{E(r.Note)}</td><td>{E(r.Formula)}</td></tr>\n");
        }
        o.Write("</tbody></table>\n<ul>");
        foreach (var a in m.Assumptions)
        {
            o.Write($"<li>{E(a)}</li>");
        }
        o.Write("</ul>\n");
    }
}
