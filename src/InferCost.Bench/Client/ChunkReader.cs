using System.Buffers;
using System.Text.Json;

namespace InferCost.Bench.Client;

/// <summary>What one OpenAI chat-completions chunk (or a whole non-streamed response) carried.</summary>
internal struct ChunkFields
{
    /// <summary>UTF-8 bytes of assistant content in this chunk (delta.content or message.content).</summary>
    public int ContentBytes;
    public long? PromptTokens;
    public long? CompletionTokens;
    public long? CachedTokens;
    public long? ReasoningTokens;
    public bool Finished;
    public bool Error;
    /// <summary>A usage count was present but no whole number a long holds (1e30, 3.5): not trusted.</summary>
    public bool UsageUnreadable;
}

/// <summary>Reads the fields the bench needs from a chat-completions JSON object without building a document:
/// <c>choices[].delta.content</c> / <c>choices[].message.content</c> (appended to a text buffer),
/// <c>choices[].finish_reason</c>, <c>usage.prompt_tokens</c>, <c>usage.completion_tokens</c>,
/// <c>usage.prompt_tokens_details.cached_tokens</c>, <c>usage.completion_tokens_details.reasoning_tokens</c>, and
/// a top-level <c>error</c>. Stateless and thread-safe.</summary>
internal static class ChunkReader
{
    internal enum Key : byte
    {
        Other, Item, Choices, Delta, Message, Content, FinishReason, Usage, PromptTokens, CompletionTokens,
        PromptDetails, CompletionDetails, CachedTokens, ReasoningTokens, Error,
    }

    /// <summary>The header one stream's chunks repeat: the bytes before the first top-level property this reader
    /// acts on (<c>{"id":"chatcmpl-…","object":"chat.completion.chunk","created":…,"model":"…",</c> in OpenAI-style
    /// streams) and the JSON reader's state right after them. A chunk that starts with exactly these bytes is read
    /// from that state on: the reader would pass the same bytes the same way, so the outcome is the same as reading
    /// the chunk from its first byte, and any difference in the header (or a malformed one) means a full read.
    /// One per stream; not thread-safe.</summary>
    public sealed class HeaderMemo
    {
        internal byte[] Bytes = new byte[128];
        internal int Length;
        internal JsonReaderState State;
        internal Key FirstKey;
    }

    /// <summary>Returns false when <paramref name="json"/> is not a JSON object.</summary>
    /// <param name="memo">When given, remembers this chunk's header, and skips re-reading it in later chunks that repeat it byte for byte.</param>
    public static bool TryRead(ReadOnlySpan<byte> json, ref ChunkFields fields, ArrayBufferWriter<byte>? text, HeaderMemo? memo = null)
    {
        Span<Key> keys = stackalloc Key[8];
        keys.Clear();
        var resumed = memo is { Length: > 0 } && json.Length > memo.Length && json[..memo.Length].SequenceEqual(memo.Bytes.AsSpan(0, memo.Length));
        var reader = resumed
            ? new Utf8JsonReader(json[memo!.Length..], isFinalBlock: true, memo.State)
            : new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            if (resumed)
            {
                keys[1] = memo!.FirstKey;
            }
            else if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            var remember = memo is not null && !resumed;
            while (reader.Read())
            {
                var depth = reader.CurrentDepth;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        if (depth < keys.Length)
                        {
                            keys[depth] = Identify(ref reader);
                        }
                        if (remember && depth == 1 && keys[1] != Key.Other)
                        {
                            // Everything before this property was read and ignored: remember it for the next chunk.
                            remember = false;
                            Remember(memo!, json[..(int)reader.BytesConsumed], reader.CurrentState, keys[1]);
                        }
                        break;
                    case JsonTokenType.StartArray:
                        if (depth + 1 < keys.Length)
                        {
                            keys[depth + 1] = Key.Item;
                        }
                        break;
                    case JsonTokenType.StartObject:
                        if (depth == 1 && keys[1] == Key.Error)
                        {
                            fields.Error = true;
                        }
                        break;
                    case JsonTokenType.String:
                        if (depth == 4 && keys[1] == Key.Choices && keys[3] is (Key.Delta or Key.Message) && keys[4] == Key.Content)
                        {
                            var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
                            if (text is not null)
                            {
                                var span = text.GetSpan(length);
                                var written = reader.CopyString(span);
                                text.Advance(written);
                                fields.ContentBytes += written;
                            }
                            else
                            {
                                fields.ContentBytes += length;
                            }
                        }
                        else if (depth == 3 && keys[1] == Key.Choices && keys[3] == Key.FinishReason)
                        {
                            fields.Finished = true;
                        }
                        else if (depth == 1 && keys[1] == Key.Error)
                        {
                            fields.Error = true;
                        }
                        break;
                    case JsonTokenType.Number:
                        long n = 0;
                        if (keys[1] == Key.Usage && !reader.TryGetInt64(out n))
                        {
                            if ((depth == 2 && keys[2] is Key.PromptTokens or Key.CompletionTokens)
                                || (depth == 3 && keys[3] is Key.CachedTokens or Key.ReasoningTokens))
                            {
                                fields.UsageUnreadable = true;
                            }
                        }
                        else if (keys[1] == Key.Usage)
                        {
                            if (depth == 2 && keys[2] == Key.PromptTokens)
                            {
                                fields.PromptTokens = n;
                            }
                            else if (depth == 2 && keys[2] == Key.CompletionTokens)
                            {
                                fields.CompletionTokens = n;
                            }
                            else if (depth == 3 && keys[2] == Key.PromptDetails && keys[3] == Key.CachedTokens)
                            {
                                fields.CachedTokens = n;
                            }
                            else if (depth == 3 && keys[2] == Key.CompletionDetails && keys[3] == Key.ReasoningTokens)
                            {
                                fields.ReasoningTokens = n;
                            }
                        }
                        break;
                }
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            // Content that is not valid UTF-8 (the reader checks structure, not the bytes of a string, so this
            // shows when the string is copied out): the chunk is malformed, like any other bad JSON.
            return false;
        }
    }

    private static void Remember(HeaderMemo memo, ReadOnlySpan<byte> header, JsonReaderState state, Key firstKey)
    {
        if (header.Length > memo.Bytes.Length)
        {
            memo.Bytes = new byte[header.Length];
        }
        header.CopyTo(memo.Bytes);
        memo.Length = header.Length;
        memo.State = state;
        memo.FirstKey = firstKey;
    }

    /// <summary>Names the property the reader is on. Every chunk has about ten properties, so this runs for each of
    /// them: an unescaped name is matched on its raw bytes by length first (one comparison, usually none).</summary>
    private static Key Identify(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            return IdentifySlow(ref reader);
        }
        var name = reader.ValueSpan;
        return name.Length switch
        {
            5 => name.SequenceEqual("delta"u8) ? Key.Delta : name.SequenceEqual("usage"u8) ? Key.Usage : name.SequenceEqual("error"u8) ? Key.Error : Key.Other,
            7 => name.SequenceEqual("content"u8) ? Key.Content : name.SequenceEqual("choices"u8) ? Key.Choices : name.SequenceEqual("message"u8) ? Key.Message : Key.Other,
            13 => name.SequenceEqual("finish_reason"u8) ? Key.FinishReason : name.SequenceEqual("prompt_tokens"u8) ? Key.PromptTokens : name.SequenceEqual("cached_tokens"u8) ? Key.CachedTokens : Key.Other,
            16 => name.SequenceEqual("reasoning_tokens"u8) ? Key.ReasoningTokens : Key.Other,
            17 => name.SequenceEqual("completion_tokens"u8) ? Key.CompletionTokens : Key.Other,
            21 => name.SequenceEqual("prompt_tokens_details"u8) ? Key.PromptDetails : Key.Other,
            25 => name.SequenceEqual("completion_tokens_details"u8) ? Key.CompletionDetails : Key.Other,
            _ => Key.Other,
        };
    }

    private static Key IdentifySlow(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("content"u8)) return Key.Content;
        if (reader.ValueTextEquals("delta"u8)) return Key.Delta;
        if (reader.ValueTextEquals("choices"u8)) return Key.Choices;
        if (reader.ValueTextEquals("finish_reason"u8)) return Key.FinishReason;
        if (reader.ValueTextEquals("message"u8)) return Key.Message;
        if (reader.ValueTextEquals("usage"u8)) return Key.Usage;
        if (reader.ValueTextEquals("prompt_tokens"u8)) return Key.PromptTokens;
        if (reader.ValueTextEquals("completion_tokens"u8)) return Key.CompletionTokens;
        if (reader.ValueTextEquals("prompt_tokens_details"u8)) return Key.PromptDetails;
        if (reader.ValueTextEquals("completion_tokens_details"u8)) return Key.CompletionDetails;
        if (reader.ValueTextEquals("cached_tokens"u8)) return Key.CachedTokens;
        if (reader.ValueTextEquals("reasoning_tokens"u8)) return Key.ReasoningTokens;
        if (reader.ValueTextEquals("error"u8)) return Key.Error;
        return Key.Other;
    }
}
