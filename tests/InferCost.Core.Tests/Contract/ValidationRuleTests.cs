using InferCost.Core.Reading;

namespace InferCost.Core.Tests.Contract;

public class ValidationRuleTests
{
    [Theory]
    [InlineData("contract/template.csv")]
    [InlineData("contract/template.json")]
    [InlineData("contract/template-rows-object.json")]
    [InlineData("contract/template.jsonl")]
    [InlineData("contract/bom-crlf-quoted.csv")]
    public void Seed_template_rows_validate_in_every_format(string fixture)
    {
        var (result, rows) = Fixtures.Read(fixture);

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics.Errors.Select(e => e.ToSentence(fixture))));
        Assert.Equal(fixture.Contains("bom") ? 2 : 3, rows.Count);
        Assert.Equal("Managed frontier API", rows[0].Route);
        Assert.Equal(6200, rows[0].InputTokens);
        Assert.Equal(0.215m, rows[0].CostUsd);
        Assert.False(rows[0].BatchEligible);
        Assert.True(rows[1].BatchEligible);
    }

    [Fact]
    public void Bom_crlf_and_quoted_commas_are_read_as_one_field()
    {
        var (result, rows) = Fixtures.Read("contract/bom-crlf-quoted.csv");

        Assert.True(result.IsValid);
        Assert.Equal("Acme, Inc. \"EU\"", rows[0].Provider);
        Assert.Equal(0.72, rows[1].AcceptedOutputRate);
    }

    [Theory]
    [InlineData("contract/thousands-separator.csv", 3, 5, "inputTokens", "2,800", "no thousands separators")]
    [InlineData("contract/nan.csv", 3, 15, "costUsd", "NaN", "not a finite number")]
    [InlineData("contract/boolean-maybe.csv", 3, 8, "batchEligible", "maybe", "not a boolean")]
    [InlineData("contract/rate-above-one.csv", 3, 7, "cacheHitRate", "1.7", "between 0 and 1")]
    [InlineData("contract/p95-below-p50.csv", 3, 12, "latencyP95Ms", "6000", "is below latencyP50Ms")]
    [InlineData("contract/unknown-route.csv", 3, 1, "route", "Quantum cloud", "Managed frontier API, Hosted open-weight serverless, Dedicated endpoint, Self-hosted GPU stack, Owned hardware")]
    [InlineData("contract/negative-cost.csv", 3, 15, "costUsd", "-0.01", "zero or more")]
    [InlineData("contract/fractional-concurrency.csv", 3, 9, "concurrency", "2.5", "whole number")]
    [InlineData("contract/empty-required.csv", 3, 3, "model", "", "required value is empty")]
    public void A_bad_value_is_reported_with_its_line_column_and_value(string fixture, long line, int column, string field, string value, string reason)
    {
        var (result, rows) = Fixtures.Read(fixture);

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Diagnostics.Errors);
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.ColumnNumber);
        Assert.Equal(field, error.Column);
        Assert.Equal(value, error.Value);
        Assert.Contains(reason, error.Message);
        Assert.Single(rows); // the good row on line 2 still reads
    }

    [Theory]
    [InlineData("contract/short-row.csv", 3, "row has 14 fields but the header has 16")]
    [InlineData("contract/missing-column.csv", 1, "required column is missing")]
    [InlineData("contract/empty.csv", 0, "is empty")]
    [InlineData("contract/header-only.csv", 1, "has a header but no rows")]
    [InlineData("contract/binary.csv", 0, "not")]
    [InlineData("contract/unterminated-quote.csv", 3, "never closed")]
    [InlineData("contract/bad-line.jsonl", 2, "is not valid JSON")]
    public void A_broken_file_is_one_clear_error(string fixture, long line, string reason)
    {
        var (result, _) = Fixtures.Read(fixture);

        Assert.False(result.IsValid);
        var error = result.Diagnostics.Errors[0];
        Assert.Equal(line, error.Line);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_binary_file_is_called_binary_not_mangled()
    {
        var (result, rows) = Fixtures.Read("contract/binary.csv");

        Assert.Empty(rows);
        Assert.Matches("binary|NUL|not UTF-8", Assert.Single(result.Diagnostics.Errors).Message);
    }

    [Fact]
    public void The_missing_column_error_names_the_column()
    {
        var (result, _) = Fixtures.Read("contract/missing-column.csv");

        Assert.Equal("reviewMinutes", result.Diagnostics.Errors[0].Column);
    }

    [Fact]
    public void Json_errors_carry_the_line_of_the_value()
    {
        var (result, rows) = Fixtures.Read("contract/bad-rate.json");

        var error = Assert.Single(result.Diagnostics.Errors);
        Assert.Equal("acceptedOutputRate", error.Column);
        Assert.Equal("1.2", error.Value);
        var expectedLine = File.ReadAllLines(Fixtures.PathOf("contract/bad-rate.json")).ToList().FindIndex(l => l.Contains("\"1.2\"")) + 1;
        Assert.Equal(expectedLine, error.Line);
        Assert.Single(rows);
    }

    [Fact]
    public void An_unknown_column_is_a_warning_with_a_suggestion_and_is_not_used()
    {
        var (result, rows) = Fixtures.Read("contract/unknown-column.csv");

        Assert.True(result.IsValid);
        var warning = Assert.Single(result.Diagnostics.Warnings);
        Assert.Equal(17, warning.ColumnNumber);
        Assert.Contains("did you mean latencyP95Ms", warning.Message);
        Assert.Null(Assert.Single(rows).LatencyP99Ms);
    }

    [Fact]
    public void An_empty_cost_means_model_it_later()
    {
        var (result, rows) = Fixtures.Read("contract/cost-empty.csv");

        Assert.True(result.IsValid);
        Assert.Null(Assert.Single(rows).CostUsd);
    }

    [Fact]
    public void Validation_reports_every_error_of_a_file_not_just_the_first()
    {
        const string header = "route,provider,model,workload,inputTokens,outputTokens,cacheHitRate,batchEligible,concurrency,ttftMs,latencyP50Ms,latencyP95Ms,outputTokensPerSecond,acceptedOutputRate,costUsd,reviewMinutes";
        var text = header + "\nmanaged,p,m,w,x,1,2,maybe,0,1,2,3,4,0.5,1,1\nserverless,p,m,w,1,1,0.5,yes,1,1,2,3,4,-1,1,1\n";

        var (result, _) = Fixtures.ReadText(text);

        Assert.Equal(5, result.Diagnostics.ErrorCount); // x, 2, maybe, 0 on line 2; -1 on line 3
        Assert.Equal([2, 2, 2, 2, 3], result.Diagnostics.Errors.Select(e => e.Line));
    }

    [Theory]
    [InlineData("managed", "Managed frontier API")]
    [InlineData("SERVERLESS", "Hosted open-weight serverless")]
    [InlineData(" Dedicated ", "Dedicated endpoint")]
    [InlineData("self-hosted", "Self-hosted GPU stack")]
    [InlineData("owned", "Owned hardware")]
    public void Route_aliases_are_normalised(string alias, string canonical)
    {
        Assert.True(InferCost.Core.Contract.Routes.TryNormalize(alias, out var found));
        Assert.Equal(canonical, found);
    }

    [Theory]
    [InlineData("YES", true)]
    [InlineData("0", false)]
    [InlineData("False", false)]
    [InlineData("1", true)]
    public void Booleans_accept_the_documented_spellings(string text, bool expected)
    {
        Assert.Null(ValueParsers.ParseBoolean(text, out var value));
        Assert.Equal(expected, value);
    }
}
