using System.Buffers;
using System.Text;
using System.Text.Json;
using static System.FormattableString;

namespace InferCost.Bench.Emulator;

/// <summary>Encodes one response's SSE chunks and JSON bodies in the OpenAI chat-completions shape. The bytes
/// around each token are built once per response, so a token costs one copy. Not thread-safe.</summary>
internal sealed class ChunkEncoder
{
    private static readonly string[] Filler =
    [
        " the", " of", " and", " to", " in", " is", " that", " for", " it", " as", " with", " was", " on", " be",
        " at", " by", " this", " have", " from", " or", " one", " had", " not", " but", " what", " all", " were",
        " when", " we", " there", " can", " an",
    ];

    private static readonly byte[][] FillerJson = Filler.Select(Quote).ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    private readonly byte[] _head;
    private readonly string _id;
    private readonly string _modelJson;
    private readonly long _created;
    private readonly IReadOnlyList<string>? _reply;

    public ChunkEncoder(string id, string model, long createdUnixSeconds, IReadOnlyList<string>? reply)
    {
        _id = id;
        _modelJson = Encoding.UTF8.GetString(Quote(model));
        _created = createdUnixSeconds;
        _reply = reply;
        _head = Encoding.UTF8.GetBytes(
            Invariant($"data: {{\"id\":\"{id}\",\"object\":\"chat.completion.chunk\",\"created\":{_created},\"model\":{_modelJson},\"choices\":[{{\"index\":0,\"delta\":"));
    }

    /// <summary>The output length: the reply's words, or the requested count of filler words.</summary>
    public int OutputTokens(int wanted) => _reply is null ? wanted : Math.Min(wanted, _reply.Count);

    public void WriteRole(IBufferWriter<byte> output)
    {
        output.Write(_head);
        output.Write("{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"u8);
    }

    public void WriteToken(IBufferWriter<byte> output, int index)
    {
        var word = _reply is null ? FillerJson[index % FillerJson.Length] : Quote(_reply[index]);
        ReadOnlySpan<byte> open = "{\"content\":"u8;
        ReadOnlySpan<byte> close = "},\"finish_reason\":null}]}\n\n"u8;
        // One span for the whole event: one copy per piece and one Advance.
        var length = _head.Length + open.Length + word.Length + close.Length;
        var span = output.GetSpan(length);
        _head.CopyTo(span);
        open.CopyTo(span[_head.Length..]);
        word.CopyTo(span[(_head.Length + open.Length)..]);
        close.CopyTo(span[(_head.Length + open.Length + word.Length)..]);
        output.Advance(length);
    }

    /// <summary>About how many bytes a whole stream of <paramref name="outputTokens"/> tokens takes (filler words; a
    /// reply may need more, and the buffer grows).</summary>
    public int EstimateStreamBytes(int outputTokens) => (_head.Length + 48) * (outputTokens + 3) + 512;

    public void WriteFinish(IBufferWriter<byte> output, string finishReason)
    {
        output.Write(_head);
        output.Write(Encoding.UTF8.GetBytes(Invariant($"{{}},\"finish_reason\":\"{finishReason}\"}}]}}\n\n")));
    }

    public void WriteUsage(IBufferWriter<byte> output, int promptTokens, int completionTokens, int cachedTokens)
    {
        output.Write(Encoding.UTF8.GetBytes(
            Invariant($"data: {{\"id\":\"{_id}\",\"object\":\"chat.completion.chunk\",\"created\":{_created},\"model\":{_modelJson},\"choices\":[],\"usage\":{Usage(promptTokens, completionTokens, cachedTokens)}}}\n\n")));
    }

    public static void WriteDone(IBufferWriter<byte> output) => output.Write(Done);

    /// <summary>The whole non-streamed response body.</summary>
    public byte[] Completion(int outputTokens, string finishReason, int promptTokens, int cachedTokens)
    {
        var text = new StringBuilder();
        for (var i = 0; i < outputTokens; i++)
        {
            text.Append(_reply is null ? Filler[i % Filler.Length] : _reply[i]);
        }
        var content = Encoding.UTF8.GetString(Quote(text.ToString()));
        return Encoding.UTF8.GetBytes(
            Invariant($"{{\"id\":\"{_id}\",\"object\":\"chat.completion\",\"created\":{_created},\"model\":{_modelJson},\"choices\":[{{\"index\":0,\"message\":{{\"role\":\"assistant\",\"content\":{content}}},\"finish_reason\":\"{finishReason}\"}}],\"usage\":{Usage(promptTokens, outputTokens, cachedTokens)}}}"));
    }

    private static string Usage(int promptTokens, int completionTokens, int cachedTokens) =>
        Invariant($"{{\"prompt_tokens\":{promptTokens},\"completion_tokens\":{completionTokens},\"total_tokens\":{promptTokens + completionTokens},\"prompt_tokens_details\":{{\"cached_tokens\":{cachedTokens}}}}}");

    private static byte[] Quote(string text) => JsonSerializer.SerializeToUtf8Bytes(text);
}
