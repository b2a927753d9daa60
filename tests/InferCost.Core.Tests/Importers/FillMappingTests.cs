using System.Text;
using InferCost.Core.Contract;
using InferCost.Core.Diagnostics;
using InferCost.Core.Importers;

namespace InferCost.Core.Tests.Importers;

/// <summary>The mapping file's format: what it accepts, and one precise error (line, column, JSON path, value, reason)
/// for each way it can be wrong. Lines and columns are counted by hand in the texts below (1-based).</summary>
public sealed class FillMappingTests
{
    private static FillMappingReadResult Parse(string text) => FillMapping.Parse(Encoding.UTF8.GetBytes(text), "map.json");

    private static Diagnostic OneError(string text)
    {
        var result = Parse(text);
        Assert.Null(result.Mapping);
        return Assert.Single(result.Diagnostics);
    }

    [Fact]
    public void The_fixture_maps_each_model_and_normalises_route_aliases()
    {
        var result = FillMapping.Parse(File.ReadAllBytes(Fixtures.PathOf("importers/mapping/models.json")), "models.json");

        var mapping = Assert.IsType<FillMapping>(result.Mapping);
        Assert.Empty(result.Diagnostics);
        Assert.Equal("models.json", mapping.Name);
        Assert.Equal(new FillMappingEntry(null, Routes.SelfHostedGpuStack, "support", "vllm"), mapping.Defaults);
        Assert.Equal(new FillMappingEntry("gpt-4o-mini", Routes.ManagedFrontierApi, "support", "openai"), mapping.For("gpt-4o-mini"));
        Assert.Equal(new FillMappingEntry("llama-3.1-70b", Routes.HostedOpenWeightServerless, "triage", "together"), mapping.For("llama-3.1-70b"));
    }

    [Fact]
    public void A_model_is_found_by_its_whole_name_in_any_case()
    {
        var mapping = Parse("""{"models": {"GPT-4o-mini": {"route": "managed"}}}""").Mapping!;

        Assert.Equal("GPT-4o-mini", mapping.For("gpt-4o-MINI")?.Model);        // the entry keeps the file's spelling
        Assert.Null(mapping.For("gpt-4o-mini-2024-07-18"));                    // a dated snapshot is another name
        Assert.Null(mapping.For("gpt-4o"));
        Assert.Null(mapping.For(null));
    }

    [Fact]
    public void Comments_trailing_commas_a_bom_padding_and_no_schema_are_accepted()
    {
        var mapping = Parse("\uFEFF{\n  // our gateway\n  \"models\": {\"m\": {\"route\": \" Dedicated \", \"workload\": \" rag \",},},\n}").Mapping!;

        Assert.Equal(new FillMappingEntry("m", Routes.DedicatedEndpoint, "rag", null), mapping.For("m"));
        Assert.Equal(new FillMappingEntry(null, null, null, null), mapping.Defaults);
    }

    [Fact]
    public void An_unknown_route_names_the_json_path_the_value_and_where_it_is()
    {
        var error = OneError("{\n  \"models\": {\n    \"llama-3.1-70b\": {\"route\": \"cloud\"}\n  }\n}");

        // Line 3 is `    "llama-3.1-70b": {"route": "cloud"}`: 4 spaces, the 15-character key, ": {", the
        // 7-character "route", ": ", so "cloud" opens at column 4 + 15 + 3 + 7 + 2 + 1 = 32.
        Assert.Equal((3L, 32, "models.llama-3.1-70b.route", "cloud"), (error.Line, error.ColumnNumber!.Value, error.Column, error.Value));
        Assert.StartsWith("is not a known route; use one of: Managed frontier API, Hosted open-weight serverless", error.Message);
        Assert.StartsWith("map.json, line 3, column 32 (models.llama-3.1-70b.route): value \"cloud\" is not a known route", error.ToSentence("map.json"));
    }

    [Fact]
    public void Text_that_is_not_json_reports_the_line_and_column_of_the_break()
    {
        // The comma after the defaults object is missing: the parser stops at the quote opening "models" (line 3, column 3).
        var error = OneError("{\n  \"defaults\": {\"route\": \"managed\"}\n  \"models\": {}\n}");

        Assert.Equal((3L, 3), (error.Line, error.ColumnNumber!.Value));
        Assert.StartsWith("is not valid JSON: ", error.Message);
        Assert.Equal(3, error.ColumnNumber);
        Assert.StartsWith("map.json, line 3, column 3: is not valid JSON: ", error.ToSentence("map.json"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \r\n\t")]
    public void An_empty_file_says_what_a_mapping_is(string text) =>
        Assert.Equal("is empty: a mapping file is a JSON object with \"defaults\" and/or \"models\"", OneError(text).Message);

    [Theory]
    [InlineData("""["gpt-4o-mini"]""", null, "[\"gpt-4o-mini\"]", "must be a JSON object with \"defaults\" and/or \"models\"")]
    [InlineData("""{"models": ["gpt-4o-mini"]}""", "models", "[\"gpt-4o-mini\"]", "must be an object keyed by model name")]
    [InlineData("""{"defaults": "managed"}""", "defaults", "managed", "must be an object giving route, workload or provider")]
    [InlineData("""{"models": {"m": "managed"}}""", "models.m", "managed", "must be an object giving route, workload or provider")]
    [InlineData("""{"models": {"m": {"route": 3}}}""", "models.m.route", "3", "must be a non-empty string")]
    [InlineData("""{"models": {"m": {"workload": ""}}}""", "models.m.workload", "", "must be a non-empty string")]
    [InlineData("""{"models": {"m": {"provider": null}}}""", "models.m.provider", "null", "must be a non-empty string")]
    [InlineData("""{"models": {"": {"route": "managed"}}}""", "models.", "", "is not a model name")]
    [InlineData("""{"schema": "infercost.prices/v1"}""", "schema", "infercost.prices/v1", "must be \"infercost.mapping/v1\" (or be left out)")]
    public void A_wrong_shape_is_one_error_at_its_path(string text, string? path, string? value, string message)
    {
        var error = OneError(text);

        Assert.Equal((path, value), (error.Column, error.Value));
        Assert.StartsWith(message, error.Message);
    }

    private const string EntryKeys = "an entry may give route, workload or provider";

    [Theory]
    [InlineData("""{"defaults": {"team": "infra"}}""", "defaults.team", "is not a mapping key; " + EntryKeys)]
    [InlineData("""{"models": {"m": {"accepted": "true"}}}""", "models.m.accepted", "acceptance is judged per output and attached with infercost accept; " + EntryKeys)]
    [InlineData("""{"models": {"m": {"concurrency": "8"}}}""", "models.m.concurrency", "concurrency describes a run, not a model, so give --concurrency; " + EntryKeys)]
    [InlineData("""{"models": {"m": {"model": "m"}}}""", "models.m.model", "the entry's key is the model name (give --model for a log that has none); " + EntryKeys)]
    [InlineData("""{"model": {"m": {"route": "managed"}}}""", "model", "is not a mapping key; use schema, defaults, models")]
    public void An_unknown_key_is_an_error_naming_the_allowed_keys(string text, string path, string message)
    {
        var error = OneError(text);

        Assert.Equal(path, error.Column);
        Assert.EndsWith(message, error.Message);
    }

    [Fact]
    public void Two_entries_that_differ_only_in_case_are_refused_as_ambiguous()
    {
        var error = OneError("""{"models": {"GPT-4o": {"route": "managed"}, "gpt-4o": {"route": "serverless"}}}""");

        Assert.Equal(("models.gpt-4o", "gpt-4o"), (error.Column, error.Value));
        Assert.Contains("names the same model as \"GPT-4o\"", error.Message);
    }

    [Fact]
    public void A_key_given_twice_is_refused_rather_than_guessing_which_wins()
    {
        var error = OneError("""{"models": {"m": {"route": "managed", "route": "owned"}}}""");

        Assert.Equal("models.m.route", error.Column);
        Assert.Contains("is given twice", error.Message);
    }

    [Fact]
    public void Every_problem_is_reported_not_only_the_first()
    {
        var result = Parse("""{"defaults": {"route": "cloud"}, "models": {"a": {"team": "x"}, "b": {"workload": 1}}}""");

        Assert.Null(result.Mapping);
        Assert.Equal(["defaults.route", "models.a.team", "models.b.workload"], result.Diagnostics.Select(d => d.Column));
        Assert.All(result.Diagnostics, d => Assert.Equal(Severity.Error, d.Severity));
    }
}
