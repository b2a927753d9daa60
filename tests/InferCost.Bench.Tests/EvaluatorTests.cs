using InferCost.Bench.Evaluation;

namespace InferCost.Bench.Tests;

public sealed class EvaluatorTests
{
    private static IOutputEvaluator Parse(string spec, string? schema = null)
    {
        var evaluator = AcceptSpec.Parse(spec, _ => schema ?? throw new FileNotFoundException("no such file"), out var problem);
        Assert.True(evaluator is not null, problem);
        return evaluator!;
    }

    private static bool Accepts(IOutputEvaluator e, string output, string? expected = null) =>
        e.AcceptsAsync(output, expected, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    [Fact]
    public void Exact_accepts_the_same_text_up_to_surrounding_whitespace_and_rejects_anything_else()
    {
        var e = Parse("exact:Paris");
        Assert.True(Accepts(e, "  Paris\n"));
        Assert.False(Accepts(e, "paris"));
        Assert.False(Accepts(e, "Paris, France"));
    }

    [Fact]
    public void Exact_without_text_compares_with_the_datasets_expected_answer_and_rejects_when_there_is_none()
    {
        var e = Parse("exact");
        Assert.True(Accepts(e, "4", expected: "4"));
        Assert.False(Accepts(e, "5", expected: "4"));
        Assert.False(Accepts(e, "4", expected: null));
    }

    [Fact]
    public void Contains_accepts_a_substring_and_rejects_its_absence()
    {
        var e = Parse("contains:42");
        Assert.True(Accepts(e, "The answer is 42."));
        Assert.False(Accepts(e, "The answer is forty-two."));
    }

    [Fact]
    public void Regex_accepts_a_match_and_rejects_a_miss()
    {
        var e = Parse(@"regex:^\d{3}-\d{4}$");
        Assert.True(Accepts(e, "555-1234"));
        Assert.False(Accepts(e, "call 555-1234"));
    }

    [Fact]
    public void A_bad_regex_is_a_usage_problem_not_an_exception()
    {
        Assert.Null(AcceptSpec.Parse("regex:([a-z", _ => "", out var problem));
        Assert.Contains("not a valid regular expression", problem);
    }

    [Fact]
    public void Json_schema_accepts_a_conforming_object_and_rejects_each_kind_of_violation()
    {
        const string schema = """
            {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","required":["label","score"],
             "properties":{"label":{"enum":["spam","ham"]},"score":{"type":"number"},"tags":{"type":"array","items":{"type":"string"}},
                           "count":{"type":"integer"}},
             "additionalProperties":false}
            """;
        var e = Parse("json-schema:schema.json", schema);
        Assert.True(Accepts(e, """{"label":"spam","score":0.9,"tags":["a"],"count":3}"""));
        Assert.True(Accepts(e, "```json\n{\"label\":\"ham\",\"score\":1}\n```"));
        Assert.False(Accepts(e, """{"label":"spam"}"""));                       // required
        Assert.False(Accepts(e, """{"label":"eggs","score":1}"""));             // enum
        Assert.False(Accepts(e, """{"label":"spam","score":"high"}"""));        // type
        Assert.False(Accepts(e, """{"label":"spam","score":1,"tags":[1]}"""));  // items
        Assert.False(Accepts(e, """{"label":"spam","score":1,"count":1.5}""")); // integer
        Assert.False(Accepts(e, """{"label":"spam","score":1,"extra":true}""")); // additionalProperties
        Assert.False(Accepts(e, "not json"));
        Assert.False(Accepts(e, """["label"]"""));
    }

    [Fact]
    public void A_schema_keyword_outside_the_subset_is_refused_rather_than_skipped()
    {
        Assert.Null(AcceptSpec.Parse("json-schema:s.json", _ => """{"type":"string","pattern":"^a"}""", out var problem));
        Assert.Contains("'pattern'", problem);
    }

    [Fact]
    public void A_missing_schema_file_is_reported_with_its_name()
    {
        Assert.Null(AcceptSpec.Parse("json-schema:missing.json", _ => throw new FileNotFoundException("Could not find file"), out var problem));
        Assert.StartsWith("missing.json: cannot be read", problem);
    }

    [Fact]
    public void Command_accepts_on_exit_code_zero_and_rejects_otherwise_with_the_output_on_stdin()
    {
        var e = Parse("command:grep -q \"$INFERCOST_EXPECTED\"");
        Assert.True(Accepts(e, "the answer is 42", expected: "42"));
        Assert.False(Accepts(e, "the answer is 41", expected: "42"));
    }

    [Fact]
    public void An_unknown_evaluator_lists_the_forms()
    {
        Assert.Null(AcceptSpec.Parse("fuzzy:x", _ => "", out var problem));
        Assert.Contains(AcceptSpec.Forms, problem);
    }
}
