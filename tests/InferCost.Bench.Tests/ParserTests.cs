using System.Buffers;
using System.Text;
using InferCost.Bench.Client;

namespace InferCost.Bench.Tests;

public sealed class ParserTests
{
    private sealed class Collect : ISseSink
    {
        public List<string> Data { get; } = [];

        public void OnData(ReadOnlySpan<byte> data) => Data.Add(Encoding.UTF8.GetString(data));
    }

    [Fact]
    public void Sse_events_split_anywhere_across_reads_come_out_whole()
    {
        const string stream = "data: {\"a\":1}\r\n\r\n: keep-alive comment\n\nevent: message\ndata: line one\ndata: line two\n\ndata: [DONE]\n\n";
        var bytes = Encoding.UTF8.GetBytes(stream);
        for (var split = 1; split < bytes.Length; split++)
        {
            var parser = new SseParser();
            var sink = new Collect();
            parser.Feed(bytes.AsSpan(0, split), sink);
            parser.Feed(bytes.AsSpan(split), sink);
            Assert.Equal(["{\"a\":1}", "line one\nline two", "[DONE]"], sink.Data);
            Assert.Equal(0, parser.ForeignLines);
        }
    }

    [Fact]
    public void An_event_without_its_blank_line_is_not_dispatched_and_html_counts_as_foreign()
    {
        var parser = new SseParser();
        var sink = new Collect();
        parser.Feed("<html>\n<body>Bad gateway</body>\ndata: {\"half\":"u8, sink);
        Assert.Empty(sink.Data);
        Assert.Equal(2, parser.ForeignLines);
        Assert.True(parser.HasUnfinishedEvent);
    }

    [Fact]
    public void Chunk_reader_takes_content_usage_cached_tokens_and_finish_reason()
    {
        var text = new ArrayBufferWriter<byte>();
        var fields = default(ChunkFields);
        Assert.True(ChunkReader.TryRead("""{"choices":[{"index":0,"delta":{"content":"Hé\n"},"finish_reason":null}]}"""u8, ref fields, text));
        Assert.True(ChunkReader.TryRead("""{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"""u8, ref fields, text));
        Assert.True(ChunkReader.TryRead("""{"choices":[],"usage":{"prompt_tokens":120,"completion_tokens":7,"prompt_tokens_details":{"cached_tokens":64},"completion_tokens_details":{"reasoning_tokens":3}}}"""u8, ref fields, text));
        Assert.Equal("Hé\n", Encoding.UTF8.GetString(text.WrittenSpan));
        Assert.True(fields.Finished);
        Assert.Equal(120, fields.PromptTokens);
        Assert.Equal(7, fields.CompletionTokens);
        Assert.Equal(64, fields.CachedTokens);
        Assert.Equal(3, fields.ReasoningTokens);
        Assert.False(fields.Error);
    }

    [Fact]
    public void Chunk_reader_knows_property_names_written_with_escapes_and_ignores_look_alikes()
    {
        // "\u0063ontent" is "content" and "\u0075sage" is "usage" (JSON escapes); names of the same length that are
        // not the ones read ("contend", "usages" is longer) change nothing.
        var text = new ArrayBufferWriter<byte>();
        var fields = default(ChunkFields);
        Assert.True(ChunkReader.TryRead("""{"choices":[{"delta":{"\u0063ontent":"ab","contend":"zz"}}],"\u0075sage":{"prompt_tokens":5,"cached_tokenz":9}}"""u8, ref fields, text));
        Assert.Equal("ab", Encoding.UTF8.GetString(text.WrittenSpan));
        Assert.Equal(2, fields.ContentBytes);
        Assert.Equal(5, fields.PromptTokens);
        Assert.Null(fields.CachedTokens);
    }

    [Fact]
    public void Chunks_that_repeat_the_stream_header_read_the_same_with_the_header_memo_as_without()
    {
        const string head = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",";
        string[] chunks =
        [
            head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}",
            head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" a\"},\"finish_reason\":null}]}",
            // Another id: the header differs, so this one is read in full (and becomes the header remembered).
            head.Replace("chatcmpl-1", "chatcmpl-2") + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" b\"},\"finish_reason\":null}]}",
            head.Replace("chatcmpl-1", "chatcmpl-2") + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" c\"},\"finish_reason\":\"stop\"}]}",
            head.Replace("chatcmpl-1", "chatcmpl-2") + "\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":3,\"prompt_tokens_details\":{\"cached_tokens\":2}}}",
            head.Replace("chatcmpl-1", "chatcmpl-2") + "\"error\":{\"message\":\"late\"}}",
        ];
        var plain = default(ChunkFields);
        var plainText = new ArrayBufferWriter<byte>();
        var memoised = default(ChunkFields);
        var memoText = new ArrayBufferWriter<byte>();
        var memo = new ChunkReader.HeaderMemo();
        foreach (var chunk in chunks)
        {
            var bytes = Encoding.UTF8.GetBytes(chunk);
            Assert.True(ChunkReader.TryRead(bytes, ref plain, plainText));
            Assert.True(ChunkReader.TryRead(bytes, ref memoised, memoText, memo));
        }

        Assert.Equal(" a b c", Encoding.UTF8.GetString(memoText.WrittenSpan));
        Assert.Equal(Encoding.UTF8.GetString(plainText.WrittenSpan), Encoding.UTF8.GetString(memoText.WrittenSpan));
        Assert.Equal((plain.ContentBytes, plain.Finished, plain.PromptTokens, plain.CompletionTokens, plain.CachedTokens, plain.Error),
            (memoised.ContentBytes, memoised.Finished, memoised.PromptTokens, memoised.CompletionTokens, memoised.CachedTokens, memoised.Error));
        Assert.Equal((6, true, 4L, 3L, 2L, true), (memoised.ContentBytes, memoised.Finished, memoised.PromptTokens, memoised.CompletionTokens, memoised.CachedTokens, memoised.Error));

        // The memo holds the last header read in full: everything up to and including "error":.
        Assert.Equal(Encoding.UTF8.GetByteCount(head.Replace("chatcmpl-1", "chatcmpl-2") + "\"error\":"), memo.Length);

        // The remembered header followed by broken JSON is still refused, and so is the header cut short.
        var broken = default(ChunkFields);
        Assert.False(ChunkReader.TryRead(Encoding.UTF8.GetBytes(head.Replace("chatcmpl-1", "chatcmpl-2") + "\"choices\":[{\"delta\":}]}"), ref broken, null, memo));
        Assert.False(ChunkReader.TryRead(Encoding.UTF8.GetBytes(head.Replace("chatcmpl-1", "chatcmpl-2")[..20]), ref broken, null, memo));
        Assert.False(ChunkReader.TryRead(Encoding.UTF8.GetBytes(head.Replace("chatcmpl-1", "chatcmpl-2") + "\"choices\":[]} trailing"), ref broken, null, memo));
    }

    [Fact]
    public void Chunk_reader_ignores_content_outside_choices_and_flags_errors_and_bad_json()
    {
        var fields = default(ChunkFields);
        Assert.True(ChunkReader.TryRead("""{"content":"not this","choices":[{"delta":{"role":"assistant","content":""}}]}"""u8, ref fields, null));
        Assert.Equal(0, fields.ContentBytes);
        Assert.True(ChunkReader.TryRead("""{"error":{"message":"overloaded"}}"""u8, ref fields, null));
        Assert.True(fields.Error);
        Assert.False(ChunkReader.TryRead("""{"choices":[{"delta":"""u8, ref fields, null));
        Assert.False(ChunkReader.TryRead("[1]"u8, ref fields, null));
    }

    [Fact]
    public void Synthetic_vocabulary_words_are_one_o200k_token_each_so_isl_is_exact()
    {
        Assert.All(SyntheticPrompts.Vocabulary, w => Assert.Equal(1, TokenCounter.Count(w)));
        var prompt = new SyntheticPrompts(200, 10, 150, 2, seed: 9).Get(3);
        Assert.Equal(200, TokenCounter.Count(prompt.PromptText));
    }

    [Fact]
    public void Synthetic_prompts_share_their_prefix_and_differ_after_it()
    {
        var prompts = new SyntheticPrompts(40, 5, 30, 2, seed: 1);
        string Words(long i, int from, int count) => string.Concat(prompts.Get(i).PromptText.Split(' ').Skip(1 + from).Take(count));
        Assert.Equal(Words(0, 0, 30), Words(2, 0, 30));
        Assert.NotEqual(Words(0, 0, 30), Words(1, 0, 30));
        Assert.NotEqual(Words(0, 30, 10), Words(2, 30, 10));
    }

    [Theory]
    [InlineData("isl=10", "needs isl and osl")]
    [InlineData("isl=10,osl=5,prefix=20", "prefix cannot exceed isl")]
    [InlineData("isl=10,osl=five", "must be a whole number")]
    [InlineData("isl=10,osl=5,depth=3", "takes isl, osl, prefix and prefixes")]
    public void Bad_synthetic_specs_say_what_is_wrong(string spec, string expected)
    {
        Assert.Null(SyntheticPrompts.Parse(spec, 1, out var problem));
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void Dataset_lines_are_checked_with_their_line_numbers()
    {
        var diagnostics = new Core.Diagnostics.DiagnosticBag();
        var text = "{\"prompt\":\"2+2?\",\"expected\":\"4\"}\n\n{\"messages\":[]}\n{\"prompt\":\"x\",\"max_tokens\":0}\nnot json\n";
        Assert.Null(DatasetPrompts.Read(new StringReader(text), "d.jsonl", diagnostics));
        Assert.Equal([3L, 4L, 5L], diagnostics.Errors.Select(d => d.Line).ToArray());
        var ok = DatasetPrompts.Read(new StringReader("{\"prompt\":\"2+2?\",\"expected\":\"4\"}\n"), "d.jsonl", new Core.Diagnostics.DiagnosticBag())!;
        Assert.Equal("4", ok.Get(0).Expected);
        Assert.Equal("[{\"role\":\"user\",\"content\":\"2\\u002B2?\"}]", ok.Get(0).MessagesJson);
    }
}
