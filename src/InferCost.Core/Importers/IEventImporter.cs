namespace InferCost.Core.Importers;

/// <summary>
/// Reads one tool's or provider's log format into request events (or, for aggregate-only formats, contract rows),
/// normalising its token semantics to InferCost's: <c>inputTokens</c> counts all input, cached reads and cache
/// writes included. Pure: a stream in, events and diagnostics out. Implementations are stateless and thread-safe.
/// </summary>
public interface IEventImporter
{
    /// <summary>The <c>--format</c> name, e.g. "vllm-bench".</summary>
    string Name { get; }

    /// <summary>What the format is, in a few words, for help and for the "auto chose …" line.</summary>
    string Description { get; }

    /// <summary>The tool versions (or schema generations) this importer reads, in a few words, for <c>import --help</c>
    /// and the README. A file the importer recognises as another version of the tool is refused with one sentence.</summary>
    string Versions { get; }

    /// <summary>Whether the format records token usage, so that zero tokens in every record is suspect.</summary>
    bool CarriesUsage => true;

    /// <summary>True when the sample looks like this format.</summary>
    bool Detect(ImportProbe probe);

    /// <summary>Reads the content; returns the number of records seen (valid or not).</summary>
    long Read(Stream content, ImportContext context);
}

/// <summary>The start of a file, for format detection: its name, its first bytes and, when it starts with JSON,
/// the property names of its first object (for a JSON array: of the array's first element).</summary>
public sealed record ImportProbe(string FileName, string HeadText, IReadOnlySet<string> FirstObjectKeys, string? CsvHeader)
{
    public bool HasKeys(params string[] keys) => keys.All(FirstObjectKeys.Contains);

    public bool HasColumns(params string[] columns) =>
        CsvHeader is not null && columns.All(c => CsvHeader.Split(',').Select(h => h.Trim().Trim('"')).Contains(c, StringComparer.Ordinal));
}
