using InferCost.Core.Fit;
using InferCost.Core.Procurement;
using InferCost.Core.Sizing;

namespace InferCost.Core.Tests.Sizing;

public class CapacityModelTests
{
    // Llama-3.1-70B fp8, 3,330-token sessions, 32 at once on H100 (the example traces' self-hosted rows): fit needs 2 GPUs
    // (one H100 keeps 2,505,555,968 B for KV after 72,656,371,712 B of weights: 2 sessions of 1,091,174,400 B).
    private static ReplicaShapeRequest Rows(long? gpuCount = null, CapacityPlan? plan = null, string model = "llama-3.1-70b-instruct-fp8") => new()
    {
        Route = "Self-hosted GPU stack",
        TraceModel = model,
        GpuType = "H100",
        RowGpuCount = gpuCount,
        RowContextTokens = 2800 + 530,
        RowBatch = 32,
        Plan = plan,
    };

    private static readonly CapacityPlan Plan = new() { Route = "Self-hosted GPU stack", TraceModel = "llama-3.1-70b-instruct-fp8", GpuCount = 4 };

    [Fact]
    public void Gpus_per_replica_come_from_the_rows_then_the_profile_then_fit_then_one_with_why()
    {
        var row = CapacityModel.Resolve(Rows(gpuCount: 8, plan: Plan));
        Assert.Equal((8, GpuCountOrigin.Row), (row.GpusPerReplica, row.Origin));

        var profile = CapacityModel.Resolve(Rows(plan: Plan));
        Assert.Equal((4, GpuCountOrigin.Profile), (profile.GpusPerReplica, profile.Origin));

        var otherModel = CapacityModel.Resolve(Rows(plan: Plan with { TraceModel = "qwen2.5-72b-instruct-awq" }));
        Assert.Equal((2, GpuCountOrigin.Fit), (otherModel.GpusPerReplica, otherModel.Origin));
        Assert.Equal(2, otherModel.FitMinGpus);
        Assert.Equal(71, otherModel.MaxSessionsPerReplica); // 38,833,741,824 B pool per GPU ÷ 545,587,200 B per session
        Assert.Contains("fp8 weights (the trace model's name)", otherModel.GpuCountSource);

        var unknown = CapacityModel.Resolve(Rows(model: "house-model-v2"));
        Assert.Equal((1, GpuCountOrigin.Default), (unknown.GpusPerReplica, unknown.Origin));
        Assert.Contains("house-model-v2", unknown.GpuCountSource);
        Assert.Null(unknown.MaxSessionsPerReplica);
    }

    [Fact]
    public void Fits_sessions_cap_the_concurrency_when_the_given_gpus_hold_fewer_than_measured()
    {
        var one = CapacityModel.Resolve(Rows(gpuCount: 1));

        Assert.Equal(2, one.MaxSessionsPerReplica);
        Assert.Equal(2, one.CapConcurrency(32));
        Assert.Contains("which needs 2 GPUs per replica", one.MaxSessionsSource);
    }

    [Theory]
    [InlineData("llama-3.1-70b-instruct-fp8", "Llama-3.1-70B", WeightPrecision.Fp8)]
    [InlineData("qwen2.5-72b-instruct-awq", "Qwen2.5-72B-Instruct", WeightPrecision.Int4)]
    [InlineData("llama-3.1-8b-instruct", "Llama-3.1-8B", null)]
    public void A_trace_model_name_resolves_to_a_catalog_model_and_the_weights_its_suffix_names(string name, string model, WeightPrecision? weights)
    {
        var (entry, precision) = TraceModelNames.Resolve(name);

        Assert.Equal(model, entry?.Name);
        Assert.Equal(weights, precision);
    }
}
