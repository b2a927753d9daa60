using System.Globalization;
using System.Text;
using System.Text.Json;

namespace InferCost.Cli.Tests;

public sealed class FitCommandTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = CliApp.Run(args, output, error, CliEnvironment.ForTests());
        return (exit, output.ToString(), error.ToString());
    }

    private static string Fixture(string file) => Path.Combine(AppContext.BaseDirectory, "fixtures", "fit", file);

    [Fact]
    public void Json_answers_the_gate_for_Llama_8B_on_one_H100()
    {
        var (exit, stdout, stderr) = Run("fit", "--model", "Llama-3.1-8B", "--gpu", "h100", "--context", "8192", "--format", "json");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("infercost.fit/v1", root.GetProperty("schema").GetString());
        Assert.Equal(8_030_261_248L, root.GetProperty("model").GetProperty("parameters").GetInt64());
        Assert.Equal(131_072L, root.GetProperty("model").GetProperty("kvBytesPerToken").GetInt64());
        Assert.Equal("gqa", root.GetProperty("model").GetProperty("attention").GetString());
        Assert.Equal(2 * 8_030_261_248L, root.GetProperty("weightsBytes").GetInt64());
        Assert.Equal(131_072L * 8192, root.GetProperty("kvBytesPerSession").GetInt64());
        // 80 GiB × 0.9 − 16,060,522,496 − 2 GiB = 59,101,405,184; / 1 GiB per session = 55.
        Assert.Equal(59_101_405_184L, root.GetProperty("kvPoolBytes").GetInt64());
        Assert.Equal(55, root.GetProperty("maxConcurrentSessions").GetInt64());
        Assert.True(root.GetProperty("fits").GetBoolean());
        Assert.Equal(1, root.GetProperty("minGpus").GetInt32());
        Assert.Equal(Math.Round(3.35e12 / 16_083_591_168d, 2), root.GetProperty("decodeCeilingTokensPerSecond").GetDouble());
        Assert.Equal("H100 SXM 80GB", root.GetProperty("gpu").GetProperty("name").GetString());
        Assert.Equal(9, root.GetProperty("alternatives").GetArrayLength());
        Assert.DoesNotContain("NaN", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_json_path_is_read_like_the_catalog_entry()
    {
        var (exit, stdout, _) = Run("fit", "--model", Fixture("qwen3-32b.config.json"), "--gpu", "h200", "--context", "32k", "--format", "json");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(262_144L, json.RootElement.GetProperty("model").GetProperty("kvBytesPerToken").GetInt64());
        Assert.Equal(262_144L * 32768, json.RootElement.GetProperty("kvBytesPerSession").GetInt64()); // 32k = 32 × 1024
    }

    [Fact]
    public void Not_fitting_exits_1_with_a_null_ceiling_and_its_reason()
    {
        var (exit, stdout, _) = Run("fit", "--model", "Llama-3.1-70B", "--gpu", "l4", "--context", "8192", "--format", "json");
        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.False(json.RootElement.GetProperty("fits").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("decodeCeilingTokensPerSecond").ValueKind);
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("decodeCeilingReason").GetString()));
    }

    [Fact]
    public void Unknown_gpu_is_a_usage_error_listing_close_matches()
    {
        var (exit, stdout, stderr) = Run("fit", "--model", "Llama-3.1-8B", "--gpu", "h10", "--context", "8192");
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("'h10'", line, StringComparison.Ordinal);
        Assert.Contains("H100 SXM 80GB", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_model_lists_close_matches()
    {
        var (exit, _, stderr) = Run("fit", "--model", "mixtral-8x7", "--gpu", "h100", "--context", "8192");
        Assert.Equal(2, exit);
        Assert.Contains("Mixtral-8x7B", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_missing_a_key_names_it_and_exits_1()
    {
        var (exit, _, stderr) = Run("fit", "--model", Fixture("missing-heads.config.json"), "--gpu", "h100", "--context", "8192");
        Assert.Equal(1, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("num_attention_heads", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_and_non_gguf_files_are_one_clear_error()
    {
        var directory = Directory.CreateTempSubdirectory("infercost-fit-");
        try
        {
            var truncated = Path.Combine(directory.FullName, "truncated.gguf");
            // Magic, version 3, then the tensor count cut short.
            File.WriteAllBytes(truncated, [.. "GGUF"u8, 3, 0, 0, 0, 1, 0]);
            var (exit, _, stderr) = Run("fit", "--model", truncated, "--gpu", "h100", "--context", "8192");
            Assert.Equal(1, exit);
            Assert.Contains("truncated", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);

            var notGguf = Path.Combine(directory.FullName, "weights.gguf");
            File.WriteAllText(notGguf, "PK\u0003\u0004 not a gguf file", Encoding.UTF8);
            (exit, _, stderr) = Run("fit", "--model", notGguf, "--gpu", "h100", "--context", "8192");
            Assert.Equal(1, exit);
            Assert.Contains("is not a GGUF file", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Missing_model_file_is_an_io_error()
    {
        var (exit, _, stderr) = Run("fit", "--model", "/nonexistent/model.gguf", "--gpu", "h100", "--context", "8192");
        Assert.Equal(3, exit);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--context", "8,192")]
    [InlineData("--context", "0")]
    [InlineData("--memory-utilization", "0,9")]
    [InlineData("--memory-utilization", "1.5")]
    [InlineData("--kv", "int4")]
    public void Bad_option_values_are_usage_errors(string option, string value)
    {
        var args = new List<string> { "fit", "--model", "Llama-3.1-8B", "--gpu", "h100", "--context", "8192" };
        var index = args.IndexOf(option);
        if (index >= 0)
        {
            args[index + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }
        var (exit, _, stderr) = Run([.. args]);
        Assert.Equal(2, exit);
        Assert.False(string.IsNullOrWhiteSpace(stderr));
    }

    [Fact]
    public void Output_is_identical_under_a_comma_decimal_culture()
    {
        string[] args = ["fit", "--model", "Mixtral-8x7B", "--gpu", "a100", "--gpus", "2", "--context", "16384", "--batch", "4"];
        var invariant = Run(args);
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("de-DE");
            var german = Run(args);
            Assert.Equal(invariant.Out, german.Out);
            Assert.Equal(invariant.Exit, german.Exit);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
            CultureInfo.CurrentUICulture = previous;
        }
        Assert.Contains("46,702,792,704 total", invariant.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_states_the_verdict_and_lists_every_gpu()
    {
        var (exit, stdout, _) = Run("fit", "--model", "DeepSeek-V3", "--gpu", "h200", "--gpus", "8", "--context", "32768", "--batch", "16");
        Assert.Equal(0, exit);
        Assert.StartsWith("FITS: DeepSeek-V3 on 8 × H200 SXM 141GB", stdout, StringComparison.Ordinal);
        Assert.Contains("70,272 B per token", stdout, StringComparison.Ordinal);
        Assert.Contains("MI300X 192GB", stdout, StringComparison.Ordinal);
        Assert.Contains("physical upper bound", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_shows_an_example()
    {
        var (exit, stdout, _) = Run("fit", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("Example: infercost fit --model", stdout, StringComparison.Ordinal);
    }
}
