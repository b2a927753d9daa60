using InferCost.Core.Importers;
using InferCost.Core.Reading;

namespace InferCost.Ledger;

/// <summary>How a plain source (contract rows in CSV, JSON or JSON Lines) becomes one read through a chosen import
/// format. Shared by the CLI's import and rollup and Studio's upload, so a file is read the same way everywhere.</summary>
public static class ImportSourceFormats
{
    /// <summary>The source read through <paramref name="format"/> (a name from <see cref="ImportFormats.Names"/>, not
    /// "auto"), with <paramref name="fillIns"/> for fields the format does not carry. Once the file has been read,
    /// <paramref name="onFilled"/> gets its path and the fields that were filled rather than read.</summary>
    public static ImportSource WithFormat(ImportSource source, string format, FillIns fillIns, Action<string, IReadOnlyCollection<string>> onFilled)
    {
        if (format == ImportFormats.Contract)
        {
            return source;
        }
        return source with
        {
            FormatName = format == ImportFormats.Events ? "events-" + TraceFormats.Name(source.Format) : format,
            Bulk = format == ImportFormats.Events ? BulkContent.Events : BulkContent.None,
            Reader = (stream, path, onEvent, onRow) =>
            {
                var imported = ImportFormats.Read(format, stream, path, source.Format, fillIns, onEvent, onRow);
                onFilled(path, imported.Filled);
                return imported.Result;
            },
        };
    }
}
