using InferCost.Bench.Client;

namespace InferCost.Bench.Tests;

public sealed class TokenCounterTests
{
    [Fact]
    public void A_long_one_word_text_goes_to_the_tokenizer_in_pieces_of_at_most_512_characters()
    {
        // The tokenizer's merge is quadratic in one word's length; pieces keep the whole count linear.
        var text = new string('x', 100_000);
        var pieces = new List<int>();

        var count = TokenCounter.Count(text, piece => { pieces.Add(piece.Length); return 1; }, CancellationToken.None, out var complete);

        Assert.True(complete);
        Assert.Equal(pieces.Count, count);
        Assert.Equal(text.Length, pieces.Sum());
        Assert.All(pieces, length => Assert.InRange(length, 1, 512));
        Assert.Equal((100_000 + 511) / 512, pieces.Count); // ⌈100,000 ÷ 512⌉: every cut but the last is a full piece
    }

    [Fact]
    public void Pieces_end_before_a_space_so_ordinary_text_counts_exactly_as_a_whole()
    {
        var words = string.Join(' ', Enumerable.Range(0, 3000).Select(i => i % 7 == 0 ? "Tokenization," : i % 5 == 0 ? "  naïve" : "word" + i));
        var whole = Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForModel("gpt-4o").CountTokens(words);

        Assert.True(words.Length > 10 * 512);
        Assert.Equal(whole, TokenCounter.Count(words));
    }

    [Fact]
    public void A_surrogate_pair_is_never_split()
    {
        var text = new string('x', 511) + "😀" + new string('y', 600);
        var pieces = new List<string>();

        TokenCounter.Count(text, piece => { pieces.Add(piece.ToString()); return 0; }, CancellationToken.None, out _);

        Assert.Equal(511, pieces[0].Length);
        Assert.StartsWith("😀", pieces[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Counting_stops_between_pieces_once_cancelled_and_says_it_is_incomplete()
    {
        using var cancel = new CancellationTokenSource();
        var calls = 0;

        var count = TokenCounter.Count(new string('x', 10_000), _ =>
        {
            if (++calls == 3)
            {
                cancel.Cancel();
            }
            return 10;
        }, cancel.Token, out var complete);

        Assert.False(complete);
        Assert.Equal(3, calls);
        Assert.Equal(30, count);
    }
}
