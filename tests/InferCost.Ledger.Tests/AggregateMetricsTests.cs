using InferCost.Core.Metrics;

namespace InferCost.Ledger.Tests;

/// <summary>The SQL aggregation plus Core's derivation, against values computed by hand.</summary>
public class AggregateMetricsTests
{
    private static MetricsResult Compute(string csv, MetricsOptions? options = null)
    {
        using var ledger = TraceLedger.InMemory();
        var outcome = ledger.Import([LedgerTestKit.FromText("inline.csv", csv)]);
        Assert.True(outcome.Committed, string.Join("\n", outcome.Files.SelectMany(f => f.Result!.Diagnostics.Errors).Select(e => e.ToSentence("inline.csv"))));
        options ??= new MetricsOptions();
        return MetricsCalculator.Compute(ledger.Aggregate(options.GroupBy), options);
    }

    private static string Template => File.ReadAllText(LedgerTestKit.Fixture("contract/template.csv"));

    [Fact]
    public void The_seed_template_rows_give_the_hand_computed_metrics()
    {
        var result = Compute(Template);

        var coding = result.Groups.Single(g => g.Workload == "coding-agent-maintenance");
        // (0.215 + 3.5 min / 60 × $60) / 0.84
        Assert.Equal((0.215m + 3.5m) / 0.84m, coding.CostPerAcceptedOutputUsd!.Value, 8);
        Assert.Equal(0.215m / 0.84m, coding.ModelCostPerAcceptedOutputUsd!.Value, 8);
        Assert.Equal(48 * 4 * 0.84, coding.ThroughputHeadroomTokensPerSecond, 9);
        Assert.Equal(6200 * (1 - 0.35), coding.CacheAdjustedInputTokens, 9);
        Assert.Equal(28200, coding.LatencyP95Ms);
        Assert.Equal("row", coding.PercentileSource);

        var invoice = result.Groups.Single(g => g.Workload == "invoice-review");
        Assert.Equal((0.046m + 5.0m) / 0.72m, invoice.CostPerAcceptedOutputUsd!.Value, 8);
        Assert.Equal(73 * 16 * 0.72, invoice.ThroughputHeadroomTokensPerSecond, 9);
        Assert.Equal(4100 * 0.9, invoice.CacheAdjustedInputTokens, 9);
        Assert.Equal(1.0, result.Workloads.Single(w => w.Workload == "invoice-review").BatchDisplacementShare);

        var support = result.Groups.Single(g => g.Workload == "support-policy");
        Assert.Equal((0.032m + 2.8m) / 0.78m, support.CostPerAcceptedOutputUsd!.Value, 8);
        Assert.Equal(108 * 32 * 0.78, support.ThroughputHeadroomTokensPerSecond, 9);
        Assert.Null(support.SmallSample); // no requests column: sample size unknown, not "small"
    }

    [Fact]
    public void The_reviewer_rate_is_an_assumption_that_moves_the_result()
    {
        var result = Compute(Template, new MetricsOptions { ReviewerUsdPerHour = 120m });

        var coding = result.Groups.Single(g => g.Workload == "coding-agent-maintenance");
        Assert.Equal((0.215m + 3.5m / 60m * 120m) / 0.84m, coding.CostPerAcceptedOutputUsd!.Value, 8);
        Assert.Equal(120m, result.Assumptions.ReviewerUsdPerHour);
    }

    [Fact]
    public void Zero_acceptance_gives_null_with_a_reason()
    {
        var csv = LedgerTestKit.Header + "\nmanaged,p,m,w,100,10,0,false,1,10,20,30,5,0,0.01,1\n";

        var group = Assert.Single(Compute(csv).Groups);

        Assert.Null(group.CostPerAcceptedOutputUsd);
        Assert.Null(group.ModelCostPerAcceptedOutputUsd);
        Assert.Contains("acceptedOutputRate is 0", group.CostReason);
    }

    [Fact]
    public void Rows_are_combined_with_request_weights_and_percentiles_are_never_averaged()
    {
        var csv = LedgerTestKit.Header + ",requests\n" +
                  "managed,p,m,w,1000,100,0.5,true,4,100,500,900,50,0.9,0.01,0,100\n" +
                  "managed,p,m,w,3000,100,0.1,false,4,100,700,2000,50,0.5,0.03,1,300\n";

        var group = Assert.Single(Compute(csv).Groups);

        // mean cost (100·0.01 + 300·0.03)/400 = 0.025; mean review (0 + 300·1)/400 = 0.75 min = $0.75; acceptance (90+150)/400 = 0.6
        Assert.Equal((0.025m + 0.75m) / 0.6m, group.CostPerAcceptedOutputUsd!.Value, 8);
        Assert.Equal(0.6, group.AcceptedOutputRate!.Value, 12);
        Assert.Equal(400, group.Requests);
        // cache-adjusted: (100·1000·0.5 + 300·3000·0.9)/400
        Assert.Equal((100 * 1000 * 0.5 + 300 * 3000 * 0.9) / 400, group.CacheAdjustedInputTokens, 9);
        Assert.Equal(2000, group.LatencyP95Ms); // the worst row, not (900+2000)/2 nor a weighted mean
        Assert.Equal("row-max", group.PercentileSource);
        Assert.Equal(0.25, group.BatchEligibleShare, 12);
    }

    [Fact]
    public void The_wilson_interval_matches_the_formula_and_bounds_the_cost()
    {
        var csv = LedgerTestKit.Header + ",requests\nmanaged,p,m,w,1000,100,0,false,4,100,500,900,50,0.8,0.1,0,50\n";

        var group = Assert.Single(Compute(csv).Groups);

        // Wilson, p = 0.8, n = 50, z = 1.96: centre (p + z²/2n)/(1 + z²/n), half-width z/(1 + z²/n)·sqrt(p(1−p)/n + z²/4n²)
        const double z = 1.959963984540054, p = 0.8, n = 50;
        var centre = (p + z * z / (2 * n)) / (1 + z * z / n);
        var half = z / (1 + z * z / n) * Math.Sqrt(p * (1 - p) / n + z * z / (4 * n * n));
        Assert.Equal(centre - half, group.AcceptedOutputRateInterval!.Low!.Value, 9);
        Assert.Equal(centre + half, group.AcceptedOutputRateInterval.High!.Value, 9);
        Assert.Equal(0.1m / (decimal)(centre + half), group.CostPerAcceptedOutputInterval!.Low!.Value, 6);
        Assert.Equal(0.1m / (decimal)(centre - half), group.CostPerAcceptedOutputInterval.High!.Value, 6);
        Assert.False(group.SmallSample);
    }

    [Fact]
    public void Fewer_than_thirty_outputs_is_a_small_sample()
    {
        var csv = LedgerTestKit.Header + ",requests\nmanaged,p,m,w,1000,100,0,false,4,100,500,900,50,0.8,0.1,0,29\n";

        Assert.True(Assert.Single(Compute(csv).Groups).SmallSample);
    }

    [Fact]
    public void The_headline_is_the_cheapest_group_that_meets_the_target()
    {
        // cheap but slow (p95 9000) vs dearer and fast (p95 4000); target 5000 → the fast one wins
        var csv = LedgerTestKit.Header + ",requests\n" +
                  "serverless,p,cheap,w,1000,100,0,false,4,100,500,9000,50,0.9,0.001,0,1000\n" +
                  "dedicated,p,fast,w,1000,100,0,false,4,100,500,4000,50,0.9,0.01,0,1000\n";

        var withTarget = Compute(csv, new MetricsOptions { TargetP95Ms = 5000 }).Workloads.Single();
        var noTarget = Compute(csv).Workloads.Single();
        var impossible = Compute(csv, new MetricsOptions { TargetP95Ms = 1000 }).Workloads.Single();

        Assert.Equal("fast", withTarget.Best!.Model);
        Assert.Equal("cheap", noTarget.Best!.Model);
        Assert.Contains("every measured group qualifies", noTarget.Reason);
        Assert.Null(impossible.Best);
        Assert.Contains("no measured group meets the p95 target", impossible.Reason);
        Assert.True(noTarget.RankingSettled); // 0.001/0.9 vs 0.01/0.9 over 1000 requests each: far apart
        Assert.Equal("fast", noTarget.RunnerUp!.Model);
    }

    [Fact]
    public void Overlapping_intervals_are_reported_as_an_unsettled_ranking()
    {
        var csv = LedgerTestKit.Header + ",requests\n" +
                  "serverless,p,a,w,1000,100,0,false,4,100,500,900,50,0.80,0.10,0,20\n" +
                  "dedicated,p,b,w,1000,100,0,false,4,100,500,900,50,0.78,0.10,0,20\n";

        var workload = Compute(csv).Workloads.Single();

        Assert.False(workload.RankingSettled);
        Assert.Single(workload.OverlapsWith);
    }

    [Fact]
    public void A_rival_without_a_requests_count_leaves_the_ranking_unknown_and_is_named()
    {
        // b is far dearer but gives no requests count: its interval is unknown, so "settled" cannot be claimed.
        var csv = LedgerTestKit.Header + ",requests\n" +
                  "serverless,p,a,w,1000,100,0,false,4,100,500,900,50,0.9,0.001,0,1000\n" +
                  "dedicated,p,b,w,1000,100,0,false,4,100,500,900,50,0.9,0.5,0,\n";

        var workload = Compute(csv).Workloads.Single();

        Assert.Null(workload.RankingSettled);
        Assert.Equal("a", workload.Best!.Model);
        Assert.Contains("/ b /", Assert.Single(workload.WithoutSampleSize));
        // What is known is said anyway: b's point estimate (0.5 / 0.9 = $0.5556), the gap (1 − (0.001/0.9)/(0.5/0.9) = 99.8%)
        // and that it lies above a's interval.
        Assert.Contains("$0.5556", workload.Ranking);
        Assert.Contains("the best 99.8% cheaper", workload.Ranking);
        Assert.Contains("lies above the best's interval", workload.Ranking);
        Assert.DoesNotContain("unknown", workload.Ranking);
    }

    [Fact]
    public void A_best_without_a_requests_count_is_ranked_by_the_runner_ups_interval_and_the_gap()
    {
        // a gives no requests; b (cost 0.2 / 0.8 = $0.25) does: 1 − (0.1/0.8)/(0.2/0.8) = 50% cheaper
        var csv = LedgerTestKit.Header + ",requests\n" +
                  "serverless,p,a,w,1000,100,0,false,4,100,500,900,50,0.8,0.1,0,\n" +
                  "dedicated,p,b,w,1000,100,0,false,4,100,500,900,50,0.8,0.2,0,500\n";

        var workload = Compute(csv).Workloads.Single();

        Assert.Null(workload.RankingSettled);
        Assert.Contains("the best ($0.125) has no requests count", workload.Ranking);
        Assert.Contains("the runner-up's 95% interval is $", workload.Ranking);
        Assert.Contains("the best 50% cheaper", workload.Ranking);
    }

    [Fact]
    public void The_same_measurement_under_another_model_name_is_never_the_runner_up()
    {
        // The seed's placeholder beside the real id, every number equal: one choice, so the runner-up is c, not the copy.
        var csv = LedgerTestKit.Header + ",requests\n" +
                  "managed,OpenAI,frontier-reasoning,w,1000,100,0,false,4,100,500,900,50,0.9,0.01,0,400\n" +
                  "managed,OpenAI,frontier-reasoning-model-id,w,1000,100,0,false,4,100,500,900,50,0.9,0.01,0,\n" +
                  "managed,OpenAI,Frontier_Reasoning,w,1000,100,0,false,8,100,500,900,50,0.9,0.011,0,400\n" +
                  "serverless,Together,c,w,1000,100,0,false,4,100,500,900,50,0.8,0.02,0,400\n";

        var workload = Compute(csv).Workloads.Single();

        Assert.Equal("frontier-reasoning", workload.Best!.Model);
        Assert.Equal("c", workload.RunnerUp!.Model);
        Assert.Equal(2, workload.SameModelUnderAnotherName.Count);
        Assert.True(workload.SavingVsRunnerUpShare > 0);
        Assert.Empty(workload.WithoutSampleSize);
    }
}
