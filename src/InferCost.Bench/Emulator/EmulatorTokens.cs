namespace InferCost.Bench.Emulator;

/// <summary>The emulator's own token count, an approximation that needs no vocabulary: each whitespace-separated
/// word is one token per started 8 characters. The bench's synthetic prompts use short common words, so their
/// token counts match the o200k tokenizer's exactly.</summary>
internal static class EmulatorTokens
{
    public const int CharsPerToken = 8;

    /// <summary>Appends one hash per token of <paramref name="text"/> to <paramref name="hashes"/>.</summary>
    public static void Hash(ReadOnlySpan<char> text, List<ulong> hashes)
    {
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            for (var piece = start; piece < i; piece += CharsPerToken)
            {
                var span = text[piece..Math.Min(i, piece + CharsPerToken)];
                ulong h = 14695981039346656037UL;
                foreach (var c in span)
                {
                    h = (h ^ c) * 1099511628211UL;
                }
                hashes.Add(h);
            }
        }
    }

    /// <summary>Splits a reply into output tokens: each word with the whitespace before it.</summary>
    public static List<string> SplitReply(string reply)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < reply.Length)
        {
            var start = i;
            while (i < reply.Length && char.IsWhiteSpace(reply[i]))
            {
                i++;
            }
            while (i < reply.Length && !char.IsWhiteSpace(reply[i]))
            {
                i++;
            }
            tokens.Add(reply[start..i]);
        }
        return tokens;
    }
}
