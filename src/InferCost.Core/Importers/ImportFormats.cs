using System.Text;
using System.Text.Json;
using InferCost.Core.Contract;
using InferCost.Core.Diagnostics;
using InferCost.Core.Events;
using InferCost.Core.Reading;

namespace InferCost.Core.Importers;

/// <summary>What reading one file through a format found, and which fields were filled rather than read.</summary>
public sealed record ImportedFile(TraceFileResult Result, string Format, IReadOnlyCollection<string> Filled);

/// <summary>The <c>--format</c> names, detection by content, and reading a file through the chosen format.</summary>
public static class ImportFormats
{
    public const string Auto = "auto";
    public const string Contract = "contract";
    public const string Events = "events";

    public static IReadOnlyList<IEventImporter> Importers { get; } =
    [
        new VllmBenchImporter(),
        new AiperfImporter("genai-perf"),
        new AiperfImporter("aiperf"),
        new GuidellmImporter(),
        new LlmperfImporter(),
        new LiteLlmImporter(),
        new LangfuseImporter(),
        new HeliconeImporter(),
        new OtelImporter(),
        new OpenAiImporter(),
        new AnthropicImporter(),
    ];

    /// <summary>Every name <c>--format</c> accepts, in the order help lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = [Auto, Contract, Events, .. Importers.Select(i => i.Name)];

    public static bool IsKnown(string name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>The start of a file as a probe: up to 64 KiB is enough to see a header or a first object's keys.</summary>
    public static ImportProbe Probe(string fileName, ReadOnlySpan<byte> head)
    {
        var text = DecodeHead(head).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        var keys = new HashSet<string>(StringComparer.Ordinal);
        string? csvHeader = null;
        if (text.StartsWith('[') || text.StartsWith('{'))
        {
            CollectFirstObjectKeys(Encoding.UTF8.GetBytes(text), keys);
        }
        else
        {
            var end = text.IndexOfAny(['\r', '\n']);
            csvHeader = end < 0 ? text : text[..end];
        }
        return new ImportProbe(fileName, text, keys, csvHeader);
    }

    /// <summary>The head as text in the encoding its byte-order mark names (the readers honour UTF-16 and UTF-32
    /// marks, so detection must too: a UTF-16 CSV was read fine when named but "undetectable" under auto).</summary>
    private static string DecodeHead(ReadOnlySpan<byte> head)
    {
        Encoding encoding = head switch
        {
            [0xFF, 0xFE, 0x00, 0x00, ..] => Encoding.UTF32,
            [0xFF, 0xFE, ..] => Encoding.Unicode,
            [0xFE, 0xFF, ..] => Encoding.BigEndianUnicode,
            _ => Encoding.UTF8,
        };
        return encoding.GetString(head);
    }

    private static void CollectFirstObjectKeys(byte[] bytes, HashSet<string> keys)
    {
        var reader = new Utf8JsonReader(bytes, isFinalBlock: false, default);
        try
        {
            var depth = -1;
            while (reader.Read())
            {
                if (depth < 0)
                {
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        depth = reader.CurrentDepth + 1;
                    }
                    continue;
                }
                if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth - 1)
                {
                    return;
                }
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth)
                {
                    keys.Add(reader.GetString()!);
                }
            }
        }
        catch (JsonException)
        {
            // A truncated head: the keys seen so far are enough to detect.
        }
    }

    /// <summary>The format the content looks like, or null when none fits.</summary>
    public static string? Detect(ImportProbe probe)
    {
        var names = probe.CsvHeader is { } header
            ? header.Split(',').Select(h => h.Trim().Trim('"')).ToHashSet(StringComparer.Ordinal)
            : probe.FirstObjectKeys.ToHashSet(StringComparer.Ordinal);
        if (names.Contains("requestId") && (names.Contains("startedAt") || names.Contains("latencyMs")) ||
            (probe.HasKeys("events") && probe.HeadText.Contains("\"requestId\"", StringComparison.Ordinal)))
        {
            return Events;
        }
        // Three contract field names are a contract file, even a broken one: the contract reader then says what is wrong.
        if (TraceContract.Fields.Count(f => names.Contains(f.Name)) >= 3 || probe.HasKeys("rows"))
        {
            return Contract;
        }
        if (Importers.FirstOrDefault(i => i.Detect(probe)) is { } importer)
        {
            return importer.Name;
        }
        // Nothing to go on (empty, binary, a bare line): the contract reader gives the precise reason.
        var structured = probe.FirstObjectKeys.Count > 0 || (probe.CsvHeader?.Contains(',') ?? false);
        return structured ? null : Contract;
    }

    /// <summary>The format to read a file with: <paramref name="named"/>, or for "auto" the one detected from the
    /// file's probe (read only then); null when "auto" detects nothing.</summary>
    public static string? Choose(string named, Func<ImportProbe> probe) => named == Auto ? Detect(probe()) : named;

    /// <summary>One line per importer: its name and the tool versions it reads, for <c>import --help</c>.</summary>
    public static IEnumerable<string> VersionLines() => Importers.Select(i => $"{i.Name}: {i.Versions}");

    /// <summary>A format in words, for the "read as …" lines of the CLI and Studio.</summary>
    public static string Describe(string format) => format switch
    {
        Contract => "contract rows",
        Events => "request events",
        _ => $"{format} ({Importers.First(i => i.Name == format).Description})",
    };

    /// <summary>The sentence for a file no format fits; <paramref name="option"/> names where the user gives a format.</summary>
    public static string Undetectable(string path, string option = "--format") =>
        $"{path}: the format cannot be detected from its content; give {option} with one of: {string.Join(", ", Names.Where(n => n != Auto))}.";

    /// <summary>Reads a file through <paramref name="format"/> (not "auto"): contract rows, events, or an importer.</summary>
    public static ImportedFile Read(string format, Stream content, string path, TraceFormat textFormat, FillIns fillIns,
        Action<RequestEvent, long> onEvent, Action<TraceRow, long> onRow)
    {
        switch (format)
        {
            case Contract:
                return new ImportedFile(TraceReader.Read(content, path, textFormat, onRow), format, []);
            case Events:
            {
                // The events reader refuses each record whose TTFT exceeds its latency itself.
                var plausibility = new ImportPlausibility(checkTtft: false);
                var read = EventReader.Read(content, path, textFormat, (e, line) =>
                {
                    plausibility.Observe(e, line);
                    onEvent(e, line);
                });
                plausibility.Report(read.Diagnostics, "request events", carriesUsage: true);
                return new ImportedFile(read, format, []);
            }
        }
        var importer = Importers.First(i => i.Name == format);
        var diagnostics = new DiagnosticBag();
        var context = new ImportContext(importer.Description, fillIns, diagnostics, onEvent, onRow);
        long records = 0;
        try
        {
            records = importer.Read(content, context);
        }
        catch (DecoderFallbackException)
        {
            diagnostics.Add(Diagnostic.Error(0, null, null, null, "is not UTF-8 text (it looks like a binary file)"));
        }
        catch (OverflowException)
        {
            // A number beyond its field's type (1e309 tokens, a cost over 79 billion billion dollars): found by fuzzing.
            diagnostics.Add(Diagnostic.Error(0, null, null, null, $"has a number too large for its field, so it cannot be read as {Formatting.Article.For(importer.Description)}"));
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or KeyNotFoundException or IndexOutOfRangeException)
        {
            // A value of the wrong JSON type where the format has a fixed one (e.g. a string where vLLM writes numbers).
            diagnostics.Add(Diagnostic.Error(0, null, null, null, $"does not have the shape of {Formatting.Article.For(importer.Description)}: {ex.Message.TrimEnd('.')}"));
        }
        if (!diagnostics.HasErrors && context.Events + context.Rows == 0)
        {
            diagnostics.Add(Diagnostic.Error(0, null, null, null, $"holds no requests as {Formatting.Article.For(importer.Description)}"));
        }
        context.ReportPlausibility(importer.CarriesUsage);
        context.ReportUnusedFlags();
        return new ImportedFile(new TraceFileResult(path, textFormat, records, context.Events + context.Rows, diagnostics), format, context.Filled.ToList());
    }
}
