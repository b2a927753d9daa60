using InferCost.Core.Formatting;

namespace InferCost.Core.Tests;

public class ArticleTests
{
    [Theory]
    [InlineData("OpenAI Batch output", "an OpenAI Batch output")]
    [InlineData("Anthropic Message Batch results", "an Anthropic Message Batch results")]
    [InlineData("AIPerf profile_export.jsonl", "an AIPerf profile_export.jsonl")]
    [InlineData("GuideLLM benchmarks.json", "a GuideLLM benchmarks.json")]
    [InlineData("vLLM bench serve result", "a vLLM bench serve result")]
    public void A_name_gets_the_article_its_first_letter_calls_for(string noun, string expected)
    {
        Assert.Equal(expected, Article.For(noun));
    }
}
