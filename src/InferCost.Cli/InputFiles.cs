using System.Security.Cryptography;
using InferCost.Core.Reading;
using InferCost.Ledger;

namespace InferCost.Cli;

/// <summary>Resolves the trace files named on the command line: existence, format and content hash.</summary>
internal static class InputFiles
{
    /// <summary>Returns the sources, or null after printing one sentence per missing or unreadable file. A directory
    /// stands for the files directly inside it (a folder of batch outputs, say), in name order, hidden files left out.</summary>
    public static IReadOnlyList<ImportSource>? Resolve(IEnumerable<string> paths, CommandContext context, bool hash)
    {
        var sources = new List<ImportSource>();
        var ok = true;
        // The files are hashed one after another on another thread, so the ledger can start on a file whose size
        // shows it is new while the hash is computed (see ImportSource.Size).
        Task<string> hashed = Task.FromResult(string.Empty);
        foreach (var path in paths.SelectMany(p => Expand(p, context, ref ok)))
        {
            if (!File.Exists(path))
            {
                context.Err.WriteLine($"{path}: no such file.");
                ok = false;
                continue;
            }
            if (!FileKinds.IsRegularFile(path))
            {
                context.Err.WriteLine($"{path}: is not a regular file (a FIFO, socket or device); only regular files are read.");
                ok = false;
                continue;
            }
            try
            {
                var head = new byte[512];
                int read;
                using (var stream = File.OpenRead(path))
                {
                    read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
                }
                var format = TraceFormats.Detect(path, head.AsSpan(0, read));
                var localPath = path;
                hashed = hash ? hashed.ContinueWith(_ => Sha256(localPath), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default) : hashed;
                sources.Add(new ImportSource(path, hashed, format, () => ProgressReporter.Wrap(File.OpenRead(localPath), localPath, context))
                {
                    LocalPath = localPath,
                    Size = new FileInfo(path).Length,
                });
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                context.Err.WriteLine($"{path}: cannot be read ({ex.Message.TrimEnd('.')}).");
                ok = false;
            }
        }
        return ok ? sources : null;
    }

    private static IEnumerable<string> Expand(string path, CommandContext context, ref bool ok)
    {
        if (!Directory.Exists(path))
        {
            return [path];
        }
        string[] files;
        try
        {
            files = Directory.EnumerateFiles(path).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToArray();
            var skipped = files.Where(f => !FileKinds.IsRegularFile(f)).ToHashSet(StringComparer.Ordinal);
            foreach (var file in skipped)
            {
                context.Err.WriteLine($"{file}: skipped, not a regular file (a FIFO, socket or device).");
            }
            files = files.Where(f => !skipped.Contains(f)).ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Err.WriteLine($"{path}: the directory cannot be read ({ex.Message.TrimEnd('.')}).");
            ok = false;
            return [];
        }
        if (files.Length == 0)
        {
            context.Err.WriteLine($"{path}: is a directory with no files in it; name the trace files or put them there.");
            ok = false;
        }
        return files;
    }

    /// <summary>The start of a file for format detection (64 KiB).</summary>
    public static Core.Importers.ImportProbe Probe(string path)
    {
        var head = new byte[1 << 16];
        int read;
        using (var stream = File.OpenRead(path))
        {
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        return Core.Importers.ImportFormats.Probe(path, head.AsSpan(0, read));
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
