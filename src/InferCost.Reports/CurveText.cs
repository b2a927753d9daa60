using System.Globalization;
using InferCost.Core.Curves;
using InferCost.Core.Formatting;

namespace InferCost.Reports;

/// <summary>The cost curve as a fixed-width table (routes and their sources, curve points, break-evens, sensitivity)
/// and as CSV (one line per volume × route).</summary>
public static class CurveText
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void WriteTable(TextWriter o, CostCurve curve)
    {
        var a = curve.Assumptions;
        o.WriteLine($"Cost per accepted output against monthly accepted outputs — {curve.Workload}");
        o.WriteLine($"p95 target {(a.TargetP95Ms is { } t ? Fmt.Ms(t) : "none")}; demand {a.Demand} (peak factor {a.PeakFactor.ToString("0.##", C)}); reviewer ${a.ReviewerUsdPerHour.ToString(C)}/h; prices from {string.Join(" + ", a.PriceCatalogs)}");
        o.WriteLine();
        o.WriteLine("Routes:");
        foreach (var p in curve.PerTokenRoutes)
        {
            o.WriteLine($"  {p.Route}: {Fmt.Usd(p.CostPerAcceptedOutputUsd)} per accepted output at every volume ({p.CostSource} cost {Fmt.Usd(p.CostPerOutputUsd)} per output, review {Fmt.Usd(p.ReviewCostPerOutputUsd)}, acceptance {Fmt.Share(p.AcceptedOutputRate)}); {p.Group}{(p.MeetsP95Target ? string.Empty : " — misses the p95 target")}");
            foreach (var source in p.PriceSources)
            {
                o.WriteLine($"      price: {source}");
            }
        }
        foreach (var c in curve.CapacityRoutes)
        {
            o.WriteLine($"  {c.Route}: {c.GpuCount} × {c.GpuType ?? "GPU"} per replica at ${c.UsdPerGpuHour.ToString("0.####", C)}/GPU-hour, {c.AcceptedOutputsPerSecondPerReplica.ToString("0.###", C)} accepted outputs/s per replica, floor {c.FloorReplicas}{(c.FixedUsdPerMonth > 0 ? $", operations ${c.FixedUsdPerMonth.ToString("#,0", C)}/month" : string.Empty)}{(c.MeetsP95Target ? string.Empty : " — misses the p95 target")}");
            o.WriteLine($"      {c.Basis}");
            if (c.Replica is { } replica)
            {
                o.WriteLine($"      replica: {replica.Assumption}");
            }
            o.WriteLine($"      hourly price: {c.HourlyPriceSource}");
            if (c.Source is { } estimateSource)
            {
                o.WriteLine($"      estimate (not measured): {estimateSource}");
            }
            if (c.FixedCostSource is { } fixedSource)
            {
                o.WriteLine($"      {fixedSource}");
            }
        }
        foreach (var omitted in curve.Omitted)
        {
            o.WriteLine($"  not drawn — {omitted}");
        }
        o.WriteLine();
        var routes = curve.Points.SelectMany(p => p.Routes.Keys).Distinct().OrderBy(Core.Contract.Routes.Order).ToList();
        o.WriteLine($"{"outputs/month",15}" + string.Concat(routes.Select(r => $" {Clip(r, 30),30}")));
        foreach (var point in curve.Points)
        {
            o.Write($"{point.MonthlyAcceptedOutputs.ToString("#,0", C),15}");
            foreach (var route in routes)
            {
                var cell = point.Routes.TryGetValue(route, out var rp) ? Fmt.Usd(rp.CostPerAcceptedOutputUsd) + (rp.Replicas is { } n ? $" ({n} repl.)" : string.Empty) : "—";
                o.Write($" {cell,30}");
            }
            o.WriteLine();
        }
        o.WriteLine();
        o.WriteLine("Break-even (a capacity route becomes no dearer than a per-token route):");
        if (curve.BreakEvens.Count == 0)
        {
            o.WriteLine("  none: the workload needs both a per-token route and a capacity route");
        }
        foreach (var b in curve.BreakEvens)
        {
            o.WriteLine($"  {b.Route} vs {b.Against}: {BreakEvenText(b)}");
        }
        o.WriteLine();
        o.WriteLine($"Sensitivity (±20%, at {a.ReferenceMonthlyAcceptedOutputs.ToString("#,0", C)} accepted outputs/month):");
        o.WriteLine($"  {"driver",-16} {"-20%: cheapest",-32} {"+20%: cheapest",-32} {"cost swing",10} {"break-even swing",17}");
        foreach (var s in curve.Sensitivity)
        {
            o.WriteLine($"  {s.Driver,-16} {CaseText(s.Low),-32} {CaseText(s.High),-32} {Fmt.Share(s.CostSwingShare),10} {Fmt.Share(s.BreakEvenSwingShare),17}");
        }
        o.WriteLine($"Driver that matters most: {curve.MostSensitiveDriver ?? "none (no route could be priced)"}");
    }

    public static void WriteCsv(TextWriter o, CostCurve curve)
    {
        o.Write("workload,monthlyAcceptedOutputs,route,costPerAcceptedOutputUsd,monthlyCostUsd,replicas\n");
        foreach (var point in curve.Points)
        {
            foreach (var (route, p) in point.Routes)
            {
                string[] cells = [curve.Workload, point.MonthlyAcceptedOutputs.ToString("R", C), route, Fmt.Raw(p.CostPerAcceptedOutputUsd), Fmt.Raw(p.MonthlyCostUsd), Fmt.Raw(p.Replicas)];
                o.Write(string.Join(",", cells.Select(MetricsCsv.CsvCell)) + "\n");
            }
        }
    }

    public static string BreakEvenText(BreakEven b) => b.MonthlyAcceptedOutputs is { } v
        ? $"{v.ToString("#,0", C)} accepted outputs/month" + (b.Replicas is { } n && b.BreakEvenUtilization is { } u
            ? $" ({n.ToString("#,0", C)} replica{(n == 1 ? "" : "s")} at {Fmt.Share(u)} average utilization)" : string.Empty)
        : $"never: {b.Reason}";

    private static string CaseText(SensitivityCase c) => c.CheapestRoute is null ? "—" : $"{Clip(c.CheapestRoute, 20)} {Fmt.Usd(c.CostPerAcceptedOutputUsd)}";

    private static string Clip(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
