using System.Globalization;
using InferCost.Core.Formatting;
using InferCost.Core.Pricing;

namespace InferCost.Core.Metrics;

/// <summary>One model's observed cost against what the catalog models, over all its groups (workloads, concurrencies):
/// a gap over 10% either way, or on a route billed per GPU-hour without gpuCount, how many GPUs the observed cost pays
/// for. Like is compared with like: token-billed rows with live token prices, GPU-hour rows with GPU-hour economics.</summary>
public sealed record PriceGapWarning(string? Route, string? Provider, string? Model, IReadOnlyList<string> Groups, double? MinGapShare, double? MaxGapShare, string Basis, string Sentence)
{
    public static IReadOnlyList<PriceGapWarning> Group(IReadOnlyList<GroupMetrics> groups) =>
        groups.Where(g => g.ObservedVsModeledGapFlagged == true || g.ImpliedGpus is not null)
            .GroupBy(g => (g.Route, g.Provider, g.Model))
            .Select(Warning)
            .ToList();

    private static PriceGapWarning Warning(IGrouping<(string? Route, string? Provider, string? Model), GroupMetrics> model)
    {
        var name = string.Join(" / ", new[] { model.Key.Route, model.Key.Provider, model.Key.Model }.Where(p => p is not null));
        var where = string.Join(", ", model.GroupBy(g => g.Workload).Select(w =>
            $"{w.Key ?? "all workloads"} {string.Join(", ", w.Select(g => g.Concurrency is { } c ? $"c={c}" : "all concurrencies"))}"));
        var labels = model.Select(g => g.Label).ToList();
        var flagged = model.Where(g => g.ObservedVsModeledGapFlagged == true).ToList();
        var byHour = GpuHourRate.BilledPerGpuHour(model.Key.Route);
        if (flagged.Count > 0)
        {
            var min = flagged.Min(g => g.ObservedVsModeledGapShare!.Value);
            var max = flagged.Max(g => g.ObservedVsModeledGapShare!.Value);
            var basis = byHour ? "GPU-hour economics at the measured throughput" : "the catalog's live token prices";
            return new PriceGapWarning(model.Key.Route, model.Key.Provider, model.Key.Model, labels, min, max, basis,
                $"{name} ({where}): the observed cost is {Range(min, max)} what {basis} model (a gap over 10%).");
        }
        var implied = model.Select(g => g.ImpliedGpus!.Count).ToList();
        var gpus = implied.Min() == implied.Max() ? N(implied.Min()) : $"{N(implied.Min())}–{N(implied.Max())}";
        var at = model.First().ImpliedGpus!;
        return new PriceGapWarning(model.Key.Route, model.Key.Provider, model.Key.Model, labels, null, null, "GPU-hour economics at the measured throughput",
            $"{name} ({where}): billed per GPU-hour, so per-token prices do not apply; the observed cost pays for {gpus} × {at.GpuType} at {at.Source}, at the measured throughput. Give gpuCount to check the gap.");
    }

    private static string Range(double min, double max)
    {
        static string One(double gap) => $"{Fmt.Share(Math.Abs(gap))} {(gap < 0 ? "below" : "above")}";
        if (Math.Abs(min - max) < 5e-4)
        {
            return One(min);
        }
        return Math.Sign(min) == Math.Sign(max)
            ? $"{Fmt.Share(Math.Abs(min < 0 ? max : min))}–{Fmt.Share(Math.Abs(min < 0 ? min : max))} {(min < 0 ? "below" : "above")}"
            : $"from {One(min)} to {One(max)}";
    }

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
