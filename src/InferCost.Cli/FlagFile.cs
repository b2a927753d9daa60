namespace InferCost.Cli;

/// <summary>Reads a file a flag names (a mapping, a catalog), printing one sentence when it cannot be read.</summary>
internal static class FlagFile
{
    /// <summary>The file's bytes, or null after printing why (the caller exits 3: an I/O failure, not bad content).</summary>
    public static byte[]? TryReadBytes(string path, CommandContext context)
    {
        if (Directory.Exists(path))
        {
            context.Err.WriteLine($"{path}: is a directory, not a file.");
            return null;
        }
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Err.WriteLine(ex is FileNotFoundException or DirectoryNotFoundException ? $"{path}: no such file." : $"{path}: cannot be read ({ex.Message.TrimEnd('.')}).");
            return null;
        }
    }
}
