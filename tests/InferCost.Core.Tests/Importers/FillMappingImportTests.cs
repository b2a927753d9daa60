using System.Text;
using InferCost.Core.Contract;
using InferCost.Core.Diagnostics;
using InferCost.Core.Events;
using InferCost.Core.Importers;
using InferCost.Core.Reading;

namespace InferCost.Core.Tests.Importers;

/// <summary>Where a field the log lacks comes from when a mapping is given: the file, then the model's entry, then
/// the flag, then the mapping's defaults, then the format's own default; and each filled field says which.</summary>
public sealed class FillMappingImportTests
{
    private const string VllmModel = "meta-llama/Llama-3.1-8B-Instruct"; // model_id of the vLLM fixture

    private static FillMapping Mapping(string json)
    {
        var result = FillMapping.Parse(Encoding.UTF8.GetBytes(json), "map.json");
        return result.Mapping ?? throw new InvalidOperationException(string.Join("; ", result.Diagnostics.Select(d => d.ToSentence("map.json"))));
    }

    private static (ImportedFile File, List<RequestEvent> Events) Import(string relative, string format, FillIns fill)
    {
        var bytes = File.ReadAllBytes(Fixtures.PathOf("importers/" + relative));
        var events = new List<RequestEvent>();
        var file = ImportFormats.Read(format, new MemoryStream(bytes), relative, TraceFormats.Detect(relative, bytes), fill, (e, _) => events.Add(e), (_, _) => { });
        return (file, events);
    }

    private static void Valid(ImportedFile file) =>
        Assert.True(file.Result.IsValid, string.Join("; ", file.Result.Diagnostics.Errors.Select(d => d.ToSentence(file.Result.Path))));

    [Fact]
    public void The_model_entry_beats_the_flag_and_the_flag_beats_the_defaults()
    {
        // The entry is spelled in another case than the file's model_id: it still matches.
        var mapping = Mapping("""
            {"defaults": {"route": "owned", "workload": "batch-docs", "provider": "from-defaults"},
             "models": {"META-LLAMA/llama-3.1-8b-instruct": {"route": "serverless"}}}
            """);

        var (file, events) = Import("vllm-bench/result-detailed.json", "vllm-bench", new FillIns(Route: "dedicated", Workload: "support", Mapping: mapping));

        Valid(file);
        Assert.Equal(5, events.Count);
        Assert.All(events, e => Assert.Equal((Routes.HostedOpenWeightServerless, "support", "from-defaults"), (e.Route, e.Workload, e.Provider)));
        Assert.Contains("route (mapping map.json, model META-LLAMA/llama-3.1-8b-instruct)", file.Filled);
        Assert.Contains("workload (--workload)", file.Filled);
        Assert.Contains("provider (mapping map.json defaults)", file.Filled);
        Assert.DoesNotContain("route (--route)", file.Filled);
        // The model has its entry, so no "no entry" warning; the one warning says --route played no part.
        var warning = Assert.Single(file.Result.Diagnostics.Warnings);
        Assert.Equal("route", warning.Column);
        Assert.Contains("--route was given but not used", warning.Message);
    }

    [Fact]
    public void A_field_the_entry_lacks_falls_through_to_the_flag_then_the_defaults()
    {
        var mapping = Mapping("""{"defaults": {"workload": "from-defaults"}, "models": {""" + $"\"{VllmModel}\"" + """: {"route": "managed"}}}""");

        var (withFlag, flagged) = Import("vllm-bench/result-detailed.json", "vllm-bench", new FillIns(Workload: "from-flag", Provider: "vllm", Mapping: mapping));
        var (withoutFlag, defaulted) = Import("vllm-bench/result-detailed.json", "vllm-bench", new FillIns(Provider: "vllm", Mapping: mapping));

        Valid(withFlag);
        Valid(withoutFlag);
        Assert.All(flagged, e => Assert.Equal((Routes.ManagedFrontierApi, "from-flag"), (e.Route, e.Workload)));
        Assert.All(defaulted, e => Assert.Equal((Routes.ManagedFrontierApi, "from-defaults"), (e.Route, e.Workload)));
        Assert.Contains("workload (mapping map.json defaults)", withoutFlag.Filled);
    }

    [Fact]
    public void A_value_in_the_file_beats_the_mapping()
    {
        // LiteLLM logs custom_llm_provider = openai; the mapping says azure for the same model.
        var mapping = Mapping("""{"models": {"gpt-4o-mini": {"provider": "azure", "route": "managed", "workload": "support"}}}""");

        var (file, events) = Import("litellm/spend_logs.csv", "litellm", new FillIns(Provider: "from-flag", Mapping: mapping));

        Valid(file);
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Equal(("openai", Routes.ManagedFrontierApi, "support"), (e.Provider, e.Route, e.Workload)));
        Assert.DoesNotContain(file.Filled, f => f.StartsWith("provider", StringComparison.Ordinal));
        Assert.Equal(["route (mapping map.json, model gpt-4o-mini)", "workload (mapping map.json, model gpt-4o-mini)"], file.Filled);
    }

    [Fact]
    public void A_gateway_log_of_three_models_takes_each_models_entry()
    {
        var mapping = FillMapping.Parse(File.ReadAllBytes(Fixtures.PathOf("importers/mapping/models.json")), "models.json").Mapping!;

        var (file, events) = Import("mapping/litellm-three-models.csv", "litellm", new FillIns(Mapping: mapping));

        Valid(file);
        // Per row of the fixture: provider from the file where it has one (azure, hosted_vllm), else the model's entry.
        Assert.Equal(
            [
                ("a1", Routes.ManagedFrontierApi, "support", "azure"),
                ("a2", Routes.ManagedFrontierApi, "support", "azure"),
                ("b1", Routes.HostedOpenWeightServerless, "triage", "together"),
                ("b2", Routes.HostedOpenWeightServerless, "triage", "together"),
                ("c1", Routes.SelfHostedGpuStack, "support", "hosted_vllm"),
            ],
            events.Select(e => (e.RequestId, e.Route, e.Workload, e.Provider)));
        Assert.Equal(
            [
                "provider (mapping models.json, model llama-3.1-70b)",
                "route (mapping models.json defaults)",
                "route (mapping models.json, model gpt-4o-mini)",
                "route (mapping models.json, model llama-3.1-70b)",
                "workload (mapping models.json defaults)",
                "workload (mapping models.json, model gpt-4o-mini)",
                "workload (mapping models.json, model llama-3.1-70b)",
            ],
            file.Filled);
        // qwen2.5-7b has no entry: said once, as a warning, since the defaults filled it.
        var warning = Assert.Single(file.Result.Diagnostics.Warnings);
        Assert.Equal(("model", "qwen2.5-7b"), (warning.Column, warning.Value));
        Assert.Equal("has no entry in mapping models.json, so its fields come from the flags or the mapping's defaults", warning.Message);
    }

    [Fact]
    public void The_mappings_defaults_beat_the_formats_own_default_which_is_declared_otherwise()
    {
        var mapping = Mapping("""{"defaults": {"route": "dedicated", "workload": "batch-triage"}, "models": {"gpt-4o-mini": {"workload": "x"}}}""");

        var (file, events) = Import("openai/batch_output.jsonl", "openai", new FillIns(Mapping: mapping));

        Valid(file);
        Assert.All(events, e => Assert.Equal((Routes.DedicatedEndpoint, "batch-triage", "OpenAI"), (e.Route, e.Workload, e.Provider)));
        Assert.Contains("route (mapping map.json defaults)", file.Filled);
        Assert.Contains("provider = OpenAI (OpenAI's API; --provider or the mapping overrides)", file.Filled);
        // The batch output names the dated snapshot: the entry for gpt-4o-mini does not match it, and the warning says how to fix that.
        var warning = Assert.Single(file.Result.Diagnostics.Warnings);
        Assert.Equal("gpt-4o-mini-2024-07-18", warning.Value);
        Assert.EndsWith("(entries match whole model names: add \"gpt-4o-mini-2024-07-18\" beside \"gpt-4o-mini\")", warning.Message);
    }

    [Fact]
    public void A_field_nothing_gives_is_an_error_naming_the_mapping_and_the_model()
    {
        var mapping = Mapping("""{"models": {"some-other-model": {"route": "managed"}}}""");

        var (file, events) = Import("vllm-bench/result-detailed.json", "vllm-bench", new FillIns(Workload: "support", Provider: "vllm", Mapping: mapping));

        Assert.Empty(events);
        var error = Assert.Single(file.Result.Diagnostics.Errors);
        Assert.Equal("route", error.Column);
        Assert.Equal($"is not in a vLLM bench serve result JSON file, and mapping map.json gives none for model {VllmModel} nor in its defaults: give --route or add \"route\" to the mapping", error.Message);
        Assert.Equal(Severity.Warning, Assert.Single(file.Result.Diagnostics.Warnings).Severity);
    }

    [Fact]
    public void Without_a_mapping_the_flags_fill_as_before()
    {
        var (file, events) = Import("vllm-bench/result-detailed.json", "vllm-bench", new FillIns(Route: "self-hosted", Workload: "support", Provider: "vllm"));

        Valid(file);
        Assert.All(events, e => Assert.Equal(Routes.SelfHostedGpuStack, e.Route));
        Assert.Contains("route (--route)", file.Filled);
        Assert.Empty(file.Result.Diagnostics.Warnings);
    }
}
