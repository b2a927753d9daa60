using Microsoft.ML.Tokenizers;

namespace InferCost.Bench.Client;

/// <summary>Counts tokens with the o200k_base encoding (GPT-4o and later; Microsoft.ML.Tokenizers with its shipped
/// data package), for endpoints that return no usage. Loaded on first use. Thread-safe.
/// <para>The tokenizer's byte-pair merge is quadratic in the length of one pre-token (one word): a 64 KB reply of one
/// "word" takes seconds, 1 MB minutes. So the text is handed over in pieces of at most <see cref="MaxPiece"/>
/// characters, which makes counting linear. A piece ends just before a space that follows a non-space character:
/// o200k_base's pre-tokenizer always starts a new word there (a word may begin with one space, and no pattern spans
/// a space inside), so on ordinary text the count is exactly the count of the whole text. Only a run of
/// <see cref="MaxPiece"/> characters with no such space (a pathological reply, or long unspaced scripts) is cut
/// mid-word, which can change the count by about one token per cut.</para></summary>
public static class TokenCounter
{
    public const string Name = "o200k_base";

    /// <summary>The longest piece handed to the tokenizer at once (≈0.1 ms of work).</summary>
    internal const int MaxPiece = 512;

    private static readonly Lazy<Tokenizer> Tokenizer = new(() => TiktokenTokenizer.CreateForModel("gpt-4o"));

    public static int Count(string text) => Count(text, CancellationToken.None, out _);

    /// <summary>Counts piece by piece, checking <paramref name="cancellationToken"/> between pieces; when it fires,
    /// returns the count so far with <paramref name="complete"/> false.</summary>
    public static int Count(string text, CancellationToken cancellationToken, out bool complete) =>
        Count(text, static piece => Tokenizer.Value.CountTokens(piece), cancellationToken, out complete);

    /// <summary>The counting loop, with the per-piece count passed in (tests record the pieces).</summary>
    internal static int Count(string text, Func<ReadOnlySpan<char>, int> countPiece, CancellationToken cancellationToken, out bool complete)
    {
        var total = 0;
        var start = 0;
        while (start < text.Length)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                complete = false;
                return total;
            }
            var end = PieceEnd(text, start);
            total += countPiece(text.AsSpan(start, end - start));
            start = end;
        }
        complete = true;
        return total;
    }

    /// <summary>Where the piece that starts at <paramref name="start"/> ends (exclusive): the text's end when it is
    /// near, else the last word boundary within <see cref="MaxPiece"/> characters, else a hard cut that does not
    /// split a surrogate pair.</summary>
    internal static int PieceEnd(string text, int start)
    {
        var limit = start + MaxPiece;
        if (limit >= text.Length)
        {
            return text.Length;
        }
        for (var i = limit; i > start + 1; i--)
        {
            if (text[i] == ' ' && !char.IsWhiteSpace(text[i - 1]))
            {
                return i;
            }
        }
        return char.IsHighSurrogate(text[limit - 1]) ? limit - 1 : limit;
    }
}
