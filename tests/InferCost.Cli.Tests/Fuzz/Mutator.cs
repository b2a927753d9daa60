using System.Text;

namespace InferCost.Cli.Tests.Fuzz;

/// <summary>The kinds of damage a fuzzed input gets. Each is applied to a valid seed file.</summary>
public enum Mutation
{
    ByteFlips,
    Truncation,
    HugeNumber,
    Overflow1e309,
    NegativeZero,
    NulBytes,
    MegabyteField,
    HundredThousandColumns,
    DeepNesting,
    DuplicateKeys,
    MixedLineEnds,
    DuplicatedLine,
    RandomBytes,
}

/// <summary>
/// Deterministic mutations of a seed file: the same seed bytes, kind and <see cref="Random"/> seed give the same
/// output, so a failure is reproduced by its (target, index, seed) alone. Pure: no I/O.
/// </summary>
public static class Mutator
{
    public static readonly Mutation[] Kinds = Enum.GetValues<Mutation>();

    public static byte[] Apply(byte[] seed, Mutation kind, Random random)
    {
        var bytes = new List<byte>(seed);
        switch (kind)
        {
            case Mutation.ByteFlips:
                for (var n = random.Next(1, 9); n > 0 && bytes.Count > 0; n--)
                {
                    var at = random.Next(bytes.Count);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                }
                return [.. bytes];
            case Mutation.Truncation:
                return seed[..random.Next(seed.Length + 1)];
            case Mutation.HugeNumber:
                return ReplaceNumber(seed, random, random.Next(3) switch
                {
                    0 => "1" + new string('0', 400),
                    1 => "99999999999999999999999999999",
                    _ => "-9223372036854775809",
                });
            case Mutation.Overflow1e309:
                return ReplaceNumber(seed, random, random.Next(2) == 0 ? "1e309" : "-1e309");
            case Mutation.NegativeZero:
                return ReplaceNumber(seed, random, random.Next(2) == 0 ? "-0" : "-0.0");
            case Mutation.NulBytes:
                for (var n = random.Next(1, 6); n > 0; n--)
                {
                    bytes.Insert(random.Next(bytes.Count + 1), 0);
                }
                return [.. bytes];
            case Mutation.MegabyteField:
                return InsertAtFieldStart(seed, random, Encoding.ASCII.GetBytes(new string('a', 1 << 20)));
            case Mutation.HundredThousandColumns:
                return AppendToLine(seed, random, Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(",x", 100_000))));
            case Mutation.DeepNesting:
                return InsertAtFieldStart(seed, random, Encoding.ASCII.GetBytes(new string('[', 10_000) + new string(']', 10_000)));
            case Mutation.DuplicateKeys:
                return DuplicateKey(seed, random);
            case Mutation.MixedLineEnds:
                var mixed = new List<byte>(seed.Length + 64);
                foreach (var b in seed)
                {
                    if (b == '\n')
                    {
                        switch (random.Next(3))
                        {
                            case 0: mixed.Add((byte)'\n'); break;
                            case 1: mixed.Add((byte)'\r'); mixed.Add((byte)'\n'); break;
                            default: mixed.Add((byte)'\r'); break;
                        }
                    }
                    else
                    {
                        mixed.Add(b);
                    }
                }
                return [.. mixed];
            case Mutation.DuplicatedLine:
                var lines = Lines(seed);
                if (lines.Count > 0)
                {
                    var (start, end) = lines[random.Next(lines.Count)];
                    bytes.InsertRange(end, seed[start..end]);
                }
                return [.. bytes];
            case Mutation.RandomBytes:
                var chunk = new byte[random.Next(1, 64)];
                random.NextBytes(chunk);
                var from = random.Next(bytes.Count + 1);
                var length = Math.Min(chunk.Length, bytes.Count - from);
                bytes.RemoveRange(from, length);
                bytes.InsertRange(from, chunk);
                return [.. bytes];
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>Replaces one run of digits (with its sign and decimals) by <paramref name="number"/>; binary
    /// seeds without digits get it at a random place.</summary>
    private static byte[] ReplaceNumber(byte[] seed, Random random, string number)
    {
        var runs = new List<(int Start, int End)>();
        for (var i = 0; i < seed.Length; i++)
        {
            if (char.IsAsciiDigit((char)seed[i]))
            {
                var start = i > 0 && seed[i - 1] == '-' ? i - 1 : i;
                while (i < seed.Length && (char.IsAsciiDigit((char)seed[i]) || seed[i] == '.'))
                {
                    i++;
                }
                runs.Add((start, i));
            }
        }
        var replacement = Encoding.ASCII.GetBytes(number);
        if (runs.Count == 0)
        {
            var at = random.Next(seed.Length + 1);
            return [.. seed[..at], .. replacement, .. seed[at..]];
        }
        var (s, e) = runs[random.Next(runs.Count)];
        return [.. seed[..s], .. replacement, .. seed[e..]];
    }

    /// <summary>Inserts <paramref name="payload"/> right after a field separator (comma, colon, quote, line start).</summary>
    private static byte[] InsertAtFieldStart(byte[] seed, Random random, byte[] payload)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < seed.Length; i++)
        {
            if (seed[i] is (byte)',' or (byte)':' or (byte)'"' or (byte)'\n' or (byte)' ')
            {
                starts.Add(i + 1);
            }
        }
        var at = starts[random.Next(starts.Count)];
        return [.. seed[..at], .. payload, .. seed[at..]];
    }

    /// <summary>Appends <paramref name="payload"/> to the end of one line: the header half the time.</summary>
    private static byte[] AppendToLine(byte[] seed, Random random, byte[] payload)
    {
        var lines = Lines(seed);
        if (lines.Count == 0)
        {
            return [.. seed, .. payload];
        }
        var (_, end) = lines[random.Next(2) == 0 ? 0 : random.Next(lines.Count)];
        var at = end > 0 && seed[end - 1] == '\n' ? end - 1 : end;
        if (at > 0 && seed[at - 1] == '\r')
        {
            at--;
        }
        return [.. seed[..at], .. payload, .. seed[at..]];
    }

    /// <summary>JSON: repeats one <c>"key": value</c> pair right after itself. Elsewhere (CSV header, YAML): repeats
    /// the first field of a line or the whole line.</summary>
    private static byte[] DuplicateKey(byte[] seed, Random random)
    {
        var text = Encoding.UTF8.GetString(seed);
        var keys = new List<(int Start, int End)>();
        var at = 0;
        while ((at = text.IndexOf("\":", at, StringComparison.Ordinal)) > 0)
        {
            var open = text.LastIndexOf('"', at - 1);
            var end = text.IndexOfAny([',', '}', '\n'], at + 2);
            if (open >= 0 && end > 0)
            {
                keys.Add((open, end));
            }
            at += 2;
        }
        if (keys.Count > 0)
        {
            var (s, e) = keys[random.Next(keys.Count)];
            return Encoding.UTF8.GetBytes(text[..e] + "," + text[s..e] + text[e..]);
        }
        var comma = text.IndexOf(',', StringComparison.Ordinal);
        if (comma > 0)
        {
            var lineStart = text.LastIndexOf('\n', comma) + 1;
            return Encoding.UTF8.GetBytes(text[..comma] + "," + text[lineStart..comma] + text[comma..]);
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            var lineStart = text.LastIndexOf('\n', colon) + 1;
            var lineEnd = text.IndexOf('\n', colon);
            lineEnd = lineEnd < 0 ? text.Length : lineEnd + 1;
            return Encoding.UTF8.GetBytes(text[..lineEnd] + text[lineStart..lineEnd] + text[lineEnd..]);
        }
        return seed;
    }

    private static List<(int Start, int End)> Lines(byte[] seed)
    {
        var lines = new List<(int, int)>();
        var start = 0;
        for (var i = 0; i < seed.Length; i++)
        {
            if (seed[i] == '\n')
            {
                lines.Add((start, i + 1));
                start = i + 1;
            }
        }
        if (start < seed.Length)
        {
            lines.Add((start, seed.Length));
        }
        return lines;
    }
}
