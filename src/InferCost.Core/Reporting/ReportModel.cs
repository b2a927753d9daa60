using InferCost.Core.Curves;
using InferCost.Core.Metrics;
using InferCost.Core.Playbook;

namespace InferCost.Core.Reporting;

/// <summary>Where the report's rows came from.</summary>
public sealed record ReportInput(string Path, string Format, string Sha256, long Rows);

/// <summary>A playbook route card with what this data says about the route.</summary>
public sealed record RouteFinding(
    string Route, string BestFor, IReadOnlyList<string> CostDrivers, string Watchouts, string BuyerDecision,
    int GroupsMeasured, IReadOnlyList<string> WorkloadsWon, string Finding);

/// <summary>A playbook cost lever with the evidence this data gives and the evidence still missing.</summary>
public sealed record LeverEvidence(string Lever, string Question, string Impact, IReadOnlyList<string> Found, IReadOnlyList<string> Missing);

/// <summary>One bar; <see cref="MissesTarget"/> marks a group whose p95 is above the workload's target.</summary>
public sealed record BarDatum(string Label, string Series, double Value, bool MissesTarget = false);

/// <summary>Bars of one chart (one workload), values in <see cref="Unit"/>. <see cref="NotDrawn"/> names every group
/// left out of the chart and why, printed beside it.</summary>
public sealed record BarChart(string Title, string Unit, IReadOnlyList<BarDatum> Bars, double? ReferenceLine, string? ReferenceLabel)
{
    public IReadOnlyList<string> NotDrawn { get; init; } = [];
}

public sealed record LinePoint(double X, double Y);

public sealed record LineSeries(string Name, IReadOnlyList<LinePoint> Points);

public sealed record LineChart(string Title, string XUnit, string YUnit, IReadOnlyList<LineSeries> Series, double? ReferenceLine, string? ReferenceLabel)
{
    /// <summary>Routes or groups left out of the chart and why, printed beside it.</summary>
    public IReadOnlyList<string> NotDrawn { get; init; } = [];
}

/// <summary>The first screen's answer for one workload: the winner, by how much, how sure, and the evidence that
/// matters most of what is still missing (at most three items, most important first).</summary>
public sealed record WorkloadAnswer(string Workload, string? TargetText, string Winner, string Margin, string Certainty, IReadOnlyList<string> MissingEvidence);

/// <summary>Paired bars: raw and cache-adjusted input tokens per group.</summary>
public sealed record PairedBar(string Label, double Raw, double Adjusted);

public sealed record PairedBarChart(string Title, string Unit, string RawLabel, string AdjustedLabel, IReadOnlyList<PairedBar> Bars);

/// <summary>One workload's charts; <see cref="CostCurve"/> (log-log: cost per accepted output against monthly accepted
/// outputs) is null when the report was built without a price catalog.</summary>
public sealed record WorkloadCharts(string Workload, BarChart CostPerAcceptedOutput, LineChart P95ByConcurrency, PairedBarChart InputTokens, LineChart? CostCurve = null);

/// <summary>The whole buyer report. Renderers (Markdown, HTML, JSON) only lay this out; they compute nothing.</summary>
public sealed record ReportModel
{
    public string Schema { get; init; } = "infercost.report/v1";
    public required string Title { get; init; }
    public required string RecommendedMetric { get; init; }
    public required MetricsAssumptions Assumptions { get; init; }
    public required IReadOnlyList<ReportInput> Inputs { get; init; }
    public required IReadOnlyList<WorkloadHeadline> Headlines { get; init; }
    /// <summary>Per workload, what the first page says: winner, margin, certainty, top missing evidence.</summary>
    public IReadOnlyList<WorkloadAnswer> Answers { get; init; } = [];
    public required IReadOnlyList<GroupMetrics> Groups { get; init; }
    /// <summary>Observed costs far from the catalog's model, one per route/provider/model.</summary>
    public IReadOnlyList<PriceGapWarning> PriceGapWarnings { get; init; } = [];
    public required IReadOnlyList<RouteFinding> RouteCards { get; init; }
    public required IReadOnlyList<LeverEvidence> Levers { get; init; }
    public required IReadOnlyList<WorkloadCharts> Charts { get; init; }
    public required IReadOnlyList<SourceLink> SourceTrail { get; init; }
    /// <summary>Per workload: cost per accepted output against volume for every route, break-evens, sensitivity.</summary>
    public IReadOnlyList<CostCurve> CostCurves { get; init; } = [];
    /// <summary>The hardware procurement matrix, present when the report was given a buyer profile.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public InferCost.Core.Procurement.ProcurementMatrix? Procurement { get; init; }
}
