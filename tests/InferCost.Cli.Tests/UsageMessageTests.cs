namespace InferCost.Cli.Tests;

/// <summary>The command line as people type it: bad values, misspelled flags and commands are usage errors (exit 2)
/// with one sentence naming the flag and the nearest real name — never "internal error" or "no such file".</summary>
public class UsageMessageTests
{
    [Theory]
    [InlineData(new[] { "metrics", "--target-p95-ms", "abc" }, "--target-p95-ms must be a number of milliseconds ≥ 0 (got 'abc').")]
    [InlineData(new[] { "rollup", "--concurrency", "abc", "x.csv" }, "--concurrency must be a whole number ≥ 1 (got 'abc').")]
    [InlineData(new[] { "rollup", "--concurrency", "0", "x.csv" }, "--concurrency must be a whole number ≥ 1 (got '0').")]
    [InlineData(new[] { "fit", "--model", "Llama-3.1-8B", "--gpu", "h100", "--context", "8k", "--gpus", "two" }, "--gpus must be a whole number from 1 to 1024 (got 'two').")]
    [InlineData(new[] { "curve", "--workload", "w", "--volume", "1e309" }, "--volume must be a positive number of accepted outputs per month (got '1e309').")]
    [InlineData(new[] { "metrics", "--reviewer-usd-per-hour", "12,5" }, "--reviewer-usd-per-hour must be an amount in USD, zero or more, with a '.' decimal point (got '12,5').")]
    [InlineData(new[] { "studio", "--port", "70000" }, "--port must be a whole number from 1 to 65535 (got '70000').")]
    public void A_bad_flag_value_is_exit_2_with_one_sentence_naming_the_flag(string[] args, string sentence)
    {
        var (exit, _, err) = CliRunner.Run(args);

        Assert.Equal(2, exit);
        Assert.Contains("infercost: " + sentence, err.Split('\n'));
        Assert.DoesNotContain("internal error", err);
        Assert.DoesNotContain("System.", err);
    }

    [Theory]
    [InlineData(new[] { "metrics", "--ledgr", "x.duckdb" }, "'infercost metrics' has no option --ledgr; did you mean --ledger?")]
    [InlineData(new[] { "metrics", "--target-p95", "5000" }, "'infercost metrics' has no option --target-p95; did you mean --target-p95-ms?")]
    [InlineData(new[] { "rollup", "--by=route", "--formt", "csv", "x.csv" }, "'infercost rollup' has no option --formt; did you mean --format?")]
    [InlineData(new[] { "fit", "--gpuz", "2" }, "'infercost fit' has no option --gpuz; did you mean --gpu?")]
    [InlineData(new[] { "metric" }, "'metric' is not a command of 'infercost'; did you mean 'metrics'?")]
    [InlineData(new[] { "ledger", "inf" }, "'inf' is not a command of 'infercost ledger'; did you mean 'info'?")]
    [InlineData(new[] { "metrics", "--zzzzzzzz" }, "'infercost metrics' has no option --zzzzzzzz (see 'infercost metrics --help').")]
    public void A_misspelled_flag_or_command_is_exit_2_with_the_nearest_name(string[] args, string sentence)
    {
        var (exit, _, err) = CliRunner.Run(args);

        Assert.Equal(2, exit);
        Assert.Contains("infercost: " + sentence, err.Split('\n'));
        Assert.DoesNotContain("no such file", err);
        // The value after a misspelled flag ("--gpuz 2") is not reported as a second problem.
        Assert.Single(err.Split('\n'), l => l.StartsWith("infercost: '", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_whose_name_starts_with_a_dash_is_still_a_file()
    {
        // Relative to the working directory, which the test does not change (tests run in parallel).
        var name = $"-traces-{Guid.NewGuid():N}.csv";
        File.Copy(CliRunner.Fixture("contract/template.csv"), name);
        try
        {
            var (exit, output, err) = CliRunner.Run("validate", "--", name);

            Assert.True(exit == 0, err);
            Assert.Contains($"{name}: csv, 3 rows, valid", output);
        }
        finally
        {
            File.Delete(name);
        }
    }

    [Theory]
    [InlineData("metrics", "table|json|csv")]
    [InlineData("rollup", "json|csv")]
    [InlineData("validate", "table|json")]
    public void Help_lists_only_the_formats_the_command_accepts(string command, string formats)
    {
        var (exit, output, _) = CliRunner.Run(command, "--help");

        Assert.Equal(0, exit);
        var line = Assert.Single(output.Split('\n'), l => l.TrimStart().StartsWith("--format ", StringComparison.Ordinal));
        Assert.Contains($"<{formats}>", line);
        Assert.DoesNotContain("Svg", line);
        Assert.DoesNotContain("Table", line);
    }
}
