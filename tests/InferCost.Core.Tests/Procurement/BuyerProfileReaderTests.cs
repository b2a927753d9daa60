using InferCost.Core.Procurement;

namespace InferCost.Core.Tests.Procurement;

public class BuyerProfileReaderTests
{
    private static BuyerProfileReadResult Read(string yaml) => BuyerProfileReader.Read(new StringReader(yaml.Replace("\r\n", "\n")));

    [Fact]
    public void A_complete_profile_reads_every_section()
    {
        var result = Read("""
            workloads:
              - name: support-policy
                targetP95Ms: 9000
                batchableShare: 0.1
                concurrencyPeak: 48
                demandDays: 7
                demand: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]
            capacity:
              route: self-hosted
              model: Llama-3.1-70B
              gpu: H100
              gpuCount: 2
              contextTokens: 8192
              batch: 16
              usdPerGpuHour: 2.49
            operations:
              runbookOwner: platform
              securityReview: in-progress
            fallback:
              route: managed
              retryPolicy: { timeoutMs: 30000, maxRetries: 2 }
              expectedShare: 0.12
            procurement:
              dataResidency: region-pinned
              demandForecastMonths: 6
            """);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics.Errors.Select(e => e.ToSentence("p"))));
        var p = result.Profile!;
        var w = Assert.Single(p.Workloads);
        Assert.Equal(9000, w.TargetP95Ms);
        Assert.Equal(24, w.DemandRequestsPerHour![23]);
        Assert.Equal("Self-hosted GPU stack", p.Capacity!.Route);
        Assert.Equal(2.49m, p.Capacity.UsdPerGpuHour);
        Assert.Equal(SecurityReviewStatus.InProgress, p.Operations!.SecurityReview);
        Assert.Equal("Managed frontier API", p.Fallback!.Route);
        Assert.Equal(new RetryPolicy(30000, 2), p.Fallback.RetryPolicy);
        Assert.Equal(DataResidency.RegionPinned, p.Procurement!.DataResidency);
        Assert.Null(p.Operations.MonitoringPlan);
    }

    [Fact]
    public void Wrong_types_are_reported_with_line_and_column()
    {
        var result = Read("""
            workloads:
              - name: a
                targetP95Ms: fast
                concurrencyPeak: 2.5
            capacity: H100
            """);

        Assert.False(result.Succeeded);
        var errors = result.Diagnostics.Errors.Select(e => e.ToSentence("profile.yaml")).ToList();
        Assert.Contains("profile.yaml, line 3, column 18 (workloads[0].targetP95Ms): value \"fast\" must be a number (digits with a '.' decimal point).", errors);
        Assert.Contains(errors, e => e.StartsWith("profile.yaml, line 4, column 22 (workloads[0].concurrencyPeak): value \"2.5\" must be a whole number", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("profile.yaml, line 5, column 11 (capacity): value \"H100\" must be a mapping", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_keys_suggest_the_closest_known_key()
    {
        var result = Read("""
            workloads:
              - name: a
                targetP95: 9000
            operation:
              runbookOwner: me
            """);

        var errors = result.Diagnostics.Errors.Select(e => e.ToSentence("p.yaml")).ToList();
        Assert.Contains("p.yaml, line 3, column 5 (workloads[0].targetP95): is not a known key here; did you mean 'targetP95Ms'?.", errors.Select(e => e.Replace("?.", "?.")));
        Assert.Contains(errors, e => e.StartsWith("p.yaml, line 4, column 1 (operation): is not a known key here; did you mean 'operations'?", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_yaml_is_one_error_with_its_line()
    {
        var result = Read("""
            workloads:
              - name: a
                demand: [1, 2, 3
            capacity:
              route: dedicated
            """);

        Assert.Null(result.Profile);
        var error = Assert.Single(result.Diagnostics.Errors);
        Assert.True(error.Line >= 3, $"line {error.Line}");
        Assert.Contains("is not valid YAML", error.Message);
    }

    [Fact]
    public void Demand_needs_24_numbers_and_ranges_are_checked()
    {
        var result = Read("""
            workloads:
              - name: a
                demand: [1, 2, 3]
                batchableShare: 1.5
              - name: a
            capacity:
              route: mainframe
            """);

        var errors = result.Diagnostics.Errors.Select(e => e.ToSentence("p")).ToList();
        Assert.Contains(errors, e => e.Contains("line 3", StringComparison.Ordinal) && e.Contains("has 3 values; it needs 24", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("line 4", StringComparison.Ordinal) && e.Contains("must be between 0 and 1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("line 5", StringComparison.Ordinal) && e.Contains("a second time", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("line 7", StringComparison.Ordinal) && e.Contains("is not a route", StringComparison.Ordinal));
    }

    [Fact]
    public void An_empty_profile_is_valid_and_empty()
    {
        var result = Read("# nothing yet\n");
        Assert.True(result.Succeeded);
        Assert.Empty(result.Profile!.Workloads);
    }

    [Fact]
    public void The_kit_example_profile_reads_without_problems()
    {
        var result = Read(InferCost.Core.Kit.KitArtifacts.ExampleProfile());
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics.Errors.Select(e => e.ToSentence("profile.yaml"))));
        Assert.Equal(4, result.Profile!.Workloads.Count);
    }
}
