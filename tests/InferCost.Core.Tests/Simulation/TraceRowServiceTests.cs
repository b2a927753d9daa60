using InferCost.Core.Metrics;
using InferCost.Core.Simulation;
using InferCost.Core.Tests.Procurement;

namespace InferCost.Core.Tests.Simulation;

/// <summary>Measured points from trace groups: one point per concurrency, the rows' own numbers.</summary>
public sealed class TraceRowServiceTests
{
    private static IReadOnlyList<GroupMetrics> Groups(params GroupAggregate[] rows) =>
        MetricsCalculator.Compute(rows, new MetricsOptions()).Groups;

    [Fact]
    public void Each_measured_concurrency_becomes_one_point_with_the_rows_numbers()
    {
        var groups = Groups(
            ProcurementKit.Row(ProcurementKit.SelfHosted, "m", "w", 8, ttftMs: 700, p95Ms: 36_000, tokensPerSecond: 40, outputTokens: 400, acceptance: 0.8, cost: 0.02m, reviewMinutes: 1),
            ProcurementKit.Row(ProcurementKit.SelfHosted, "m", "w", 1, ttftMs: 300, p95Ms: 20_000, tokensPerSecond: 80, outputTokens: 400, acceptance: 0.6, cost: 0.03m, reviewMinutes: 1));

        var built = TraceRowServices.Build(groups, outputTokensCv: null, out var problem, out _);

        Assert.Equal(TraceRowServiceProblem.None, problem);
        Assert.NotNull(built);
        Assert.Equal([new MeasuredPoint(1, 300, 80, 400), new MeasuredPoint(8, 700, 40, 400)], built.Service.Points);
        // p95 at c=8 is 700 + 3.53 × the 10 s mean decode: above the exponential's 2.97 × mean, so the CV clamps at 1.
        Assert.Equal(1.0, built.Service.OutputTokensCv);
        Assert.Equal((0.8 + 0.6) / 2, built.AcceptedOutputRate, 12);
    }

    [Fact]
    public void A_given_output_length_cv_wins_over_the_calibration()
    {
        var groups = Groups(ProcurementKit.Row(ProcurementKit.SelfHosted, "m", "w", 4, 500, 9000, 50, 300, 0.9, 0.01m, 0));

        var built = TraceRowServices.Build(groups, outputTokensCv: 0.25, out _, out _);

        Assert.Equal(0.25, built!.Service.OutputTokensCv);
    }

    [Fact]
    public void Several_models_and_rows_without_concurrency_are_refused_with_the_reason()
    {
        var twoModels = Groups(
            ProcurementKit.Row(ProcurementKit.SelfHosted, "a", "w", 4, 500, 9000, 50, 300, 0.9, 0.01m, 0),
            ProcurementKit.Row(ProcurementKit.SelfHosted, "b", "w", 4, 500, 9000, 50, 300, 0.9, 0.01m, 0));
        var noSpeed = Groups(ProcurementKit.Row(ProcurementKit.SelfHosted, "a", "w", 4, 500, 9000, 0, 300, 0.9, 0.01m, 0));

        Assert.Null(TraceRowServices.Build(twoModels, null, out var several, out var models));
        Assert.Equal(TraceRowServiceProblem.SeveralModels, several);
        Assert.Equal(["a", "b"], models.Order());
        Assert.Null(TraceRowServices.Build(noSpeed, null, out var none, out _));
        Assert.Equal(TraceRowServiceProblem.NoMeasuredRows, none);
    }
}
