namespace InferCost.Bench.Emulator;

/// <summary>A prompt prefix cache in blocks of <see cref="BlockTokens"/> tokens, as vLLM's automatic prefix
/// caching works: a block is a hit when it and every block before it were seen before. Holds at most
/// <paramref name="maxBlocks"/> blocks and starts over when full. Not thread-safe.</summary>
internal sealed class PrefixCache(int maxBlocks = 1 << 20)
{
    public const int BlockTokens = 16;
    private readonly HashSet<ulong> _blocks = [];

    /// <summary>Cached tokens of a prompt given its token hashes (one per token); records the prompt's blocks.</summary>
    public int LookupAndInsert(ReadOnlySpan<ulong> tokenHashes)
    {
        var cached = 0;
        var missed = false;
        ulong chain = 1469598103934665603UL;
        for (var block = 0; (block + 1) * BlockTokens <= tokenHashes.Length; block++)
        {
            foreach (var h in tokenHashes.Slice(block * BlockTokens, BlockTokens))
            {
                chain = (chain ^ h) * 1099511628211UL;
            }
            if (!missed && _blocks.Contains(chain))
            {
                cached += BlockTokens;
            }
            else
            {
                missed = true;
                if (_blocks.Count >= maxBlocks)
                {
                    _blocks.Clear();
                }
                _blocks.Add(chain);
            }
        }
        return cached;
    }
}
