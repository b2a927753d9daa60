using InferCost.Core.Formatting;
using InferCost.Core.Procurement;
using static InferCost.Reports.ReportMarkdown;

namespace InferCost.Reports;

/// <summary>hardware-procurement-matrix.md, and the same section inside report.md.</summary>
public static class ProcurementMarkdown
{
    /// <summary>The whole file: the matrix under a level-1 heading.</summary>
    public static void Write(TextWriter o, ProcurementMatrix m) => WriteSection(o, m, "#");

    /// <summary>The matrix with its title at <paramref name="h"/> (e.g. "#" or "##"); subsections go one level deeper.</summary>
    public static void WriteSection(TextWriter o, ProcurementMatrix m, string h)
    {
        var h2 = h + "#";
        var h3 = h2 + "#";
        o.Write($"{h} {Md(m.Title)}\n\n");
        o.Write($"> {Md(m.Principle)}\n\n");
        o.Write($"{Md(m.Purpose)} Buyer profile: `{Md(m.ProfileSource)}`.\n\n");

        o.Write($"{h2} Route stage per workload\n\n");
        o.Write("| workload | take now | stage | owner | next stage | blocked by | evidence to collect next |\n|---|---|---|---|---|---|---|\n");
        foreach (var r in m.Recommendations)
        {
            var blocked = r.BlockingGate is null ? (r.NextRoute is null ? "—" : "minimum evidence or an avoid-when") : $"{Md(r.BlockingGate)} ({r.BlockingGateStatus})";
            var next = r.NextEvidence.Count == 0 ? "—" : string.Join("<br>", r.NextEvidence.Select(Md));
            o.Write($"| {Md(r.Workload)} | **{Md(r.Route)}** | {Md(r.Stage)} | {Md(r.Owner)} | {Md(r.NextRoute ?? "—")} | {blocked} | {next} |\n");
        }
        o.Write("\n");

        o.Write($"{h2} Decision gates\n\n");
        var gateNames = m.Gates.Select(g => g.Gate).Distinct().ToList();
        o.Write("| workload | " + string.Join(" | ", gateNames.Select(Md)) + " |\n|---|" + string.Concat(gateNames.Select(_ => "---|")) + "\n");
        foreach (var w in m.Gates.GroupBy(g => g.Workload))
        {
            o.Write($"| {Md(w.Key)} | " + string.Join(" | ", gateNames.Select(n => w.FirstOrDefault(g => g.Gate == n)?.StatusName ?? "—")) + " |\n");
        }
        o.Write("\n");
        foreach (var w in m.Gates.GroupBy(g => g.Workload))
        {
            o.Write($"{h3} {Md(w.Key)}\n\n");
            foreach (var g in w)
            {
                o.Write($"**{Md(g.Gate)}: {g.StatusName}.** *{Md(g.BuyerQuestion)}* {Md(g.Finding)}\n\n");
                foreach (var e in g.Evidence)
                {
                    o.Write($"- {Md(e.Item)}: {Md(e.Value)} — *{Md(e.Source)}*\n");
                }
                foreach (var x in g.Missing)
                {
                    o.Write($"- **Missing:** {Md(x)}\n");
                }
                if (g.FailureIfSkipped is { } f)
                {
                    o.Write($"- **If skipped:** {Md(f)}\n");
                }
                o.Write("\n");
            }
        }

        o.Write($"{h2} Capacity at the peak and under a retry storm\n\n");
        o.Write("| workload | demand | peak rate | p95 target | replicas at the peak | p95 at that size | projected utilization | break-even utilization | p95 under a retry storm | capacity per month |\n|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var w in m.Workloads)
        {
            var demand = w.Demand is { } d ? $"{d.Class.ToString().ToLowerInvariant()}, {Fmt.Number(d.RequestsPerDay, "#,0")}/day" : "—";
            var c = w.Capacity;
            var replicas = c is null ? "—" : c.MinReplicas is { } r ? Fmt.Integer(r) : $"none ({Md(c.NotFoundReason)})";
            var storm = c?.RetryStorm is { } s ? (s.LatencyP95Ms is { } p ? Fmt.Ms(p) : $"null ({Md(s.LatencyP95NullReason)})") : "—";
            var rate = c is null ? "—" : Fmt.Number(c.PeakRequestsPerSecond, "0.###") + " req/s";
            o.Write($"| {Md(w.Workload)} | {demand} | {rate} | {Fmt.Ms(w.TargetP95Ms)} | {replicas} | {Fmt.Ms(c?.P95AtMinReplicasMs)} | {Fmt.Share(c?.ProjectedUtilization)} | {Fmt.Share(w.Economics?.BreakEvenUtilization)} | {storm} | {Fmt.Usd(w.Economics?.CapacityMonthlyCostUsd)} |\n");
        }
        o.Write("\n");

        o.Write($"{h2} Readiness\n\n");
        o.Write("| dimension | score | seed example | note |\n|---|---|---|---|\n");
        foreach (var r in m.Readiness)
        {
            o.Write($"| {Md(r.Dimension)} | **{r.Score}** | {r.SeedExampleScore} | {Md(r.Note)} |\n");
        }
        o.Write("\nScores are computed from the evidence present and the gate results (a gate counts 1 when it passes, ½ when it warns):\n\n");
        foreach (var r in m.Readiness)
        {
            o.Write($"- {Md(r.Dimension)} = {Md(r.Formula)}.\n");
        }
        o.Write("\n");

        o.Write($"{h2} Procurement assumptions\n\n");
        foreach (var a in m.Assumptions)
        {
            o.Write($"- {Md(a)}\n");
        }
        o.Write("\n");
    }
}
