using System.Runtime.InteropServices;

namespace InferCost.Ledger;

/// <summary>
/// How a ledger is written without locking its readers out. DuckDB lets one process hold a file open for writing
/// and then refuses every other process, readers included. So a writer never opens the ledger itself: it copies it
/// to a hidden file beside it (<c>.NAME.write-GUID.duckdb</c>), writes there, checkpoints and closes the copy, and
/// renames it over the ledger, which replaces the file in one step. Readers open the ledger read-only and see the
/// last published state, before or after, never between; one that is reading at the rename keeps reading the file it
/// opened. A write that fails or is killed leaves only its copy, deleted by the next writer, so the ledger neither
/// changes nor grows. Writers exclude each other with a lock file (<c>.NAME.lock</c>, never deleted: deleting it would
/// let two writers lock two different files).
/// </summary>
internal sealed class WriteCopy : IDisposable
{
    private readonly string _ledger;
    private readonly string _display;
    private readonly FileStream _lock;
    private string? _copy;

    private WriteCopy(string ledger, string display, FileStream lockFile)
    {
        _ledger = ledger;
        _display = display;
        _lock = lockFile;
    }

    /// <summary>Takes the writers' lock of the ledger at <paramref name="ledger"/> (a full path) and deletes what
    /// killed writers left beside it.</summary>
    /// <exception cref="LedgerException">Another process is writing, or the folder cannot be written.</exception>
    public static WriteCopy Acquire(string ledger, string display)
    {
        var folder = System.IO.Path.GetDirectoryName(ledger)!;
        var name = System.IO.Path.GetFileName(ledger);
        FileStream lockFile;
        try
        {
            // FileShare.None is an exclusive flock on Unix (and a sharing lock on Windows), released if the process dies.
            lockFile = new FileStream(System.IO.Path.Combine(folder, $".{name}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (DirectoryNotFoundException)
        {
            throw new LedgerException($"Nothing was imported: the folder {folder} of the ledger {display} does not exist.");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw NotWritable(display, folder, ex);
        }
        catch (IOException ex) when (IsSharingViolation(ex))
        {
            throw new LedgerException($"The ledger {display} is being written by another process (an import or accept); wait for it to finish, then retry. Reading it works meanwhile.", ex);
        }
        catch (IOException ex)
        {
            throw new LedgerException($"Nothing was imported: the lock file beside the ledger {display} cannot be created ({ex.Message.TrimEnd('.')}).", ex);
        }
        var copy = new WriteCopy(ledger, display, lockFile);
        copy.DeleteLeftovers();
        return copy;
    }

    internal static LedgerException NotWritable(string display, string folder, Exception ex) =>
        new($"Nothing was imported: the folder {folder} cannot be written (permission denied), and the ledger {display} is written through a copy beside it; the ledger is unchanged.", ex);

    private static bool IsSharingViolation(IOException ex) =>
        // EWOULDBLOCK from flock on Unix; ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION on Windows.
        ex.HResult is 11 or 35 or unchecked((int)0x80070020) or unchecked((int)0x80070021) ||
        ex.Message.Contains("being used by another process", StringComparison.OrdinalIgnoreCase);

    /// <summary>Copies of the ledger (and their WAL files) and event spool segments left by writers that were killed.
    /// None is in use: this process holds the writers' lock.</summary>
    private void DeleteLeftovers()
    {
        var folder = System.IO.Path.GetDirectoryName(_ledger)!;
        var name = System.IO.Path.GetFileName(_ledger);
        try
        {
            foreach (var pattern in new[] { $".{name}.write-*", $".{name}.spool-*.csv" })
            {
                foreach (var stale in Directory.EnumerateFiles(folder, pattern))
                {
                    File.Delete(stale);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for a later writer; the files are hidden and only cost disk.
        }
    }

    /// <summary>Makes a fresh copy of the ledger as it is now (none when it does not exist yet) and returns its path,
    /// for DuckDB to open for writing.</summary>
    public string Begin()
    {
        var folder = System.IO.Path.GetDirectoryName(_ledger)!;
        var copy = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(_ledger)}.write-{Guid.NewGuid():N}.duckdb");
        try
        {
            if (File.Exists(_ledger))
            {
                // File.Copy clones the file where the file system can (FICLONE on btrfs and XFS, clonefile on APFS) and
                // copies in the kernel elsewhere.
                File.Copy(_ledger, copy);
                // A WAL beside the ledger holds commits of a writer that wrote the ledger in place (an older release,
                // or the DuckDB CLI) and died before checkpointing: the copy replays it.
                if (File.Exists(_ledger + ".wal"))
                {
                    File.Copy(_ledger + ".wal", copy + ".wal");
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Delete(copy);
            throw ex is UnauthorizedAccessException
                ? NotWritable(_display, folder, ex)
                : new LedgerException($"Nothing was imported: the ledger {_display} cannot be copied for writing ({ex.Message.TrimEnd('.')}); it is unchanged.", ex);
        }
        _copy = copy;
        return copy;
    }

    /// <summary>Renames the copy (checkpointed and closed by the caller: no WAL) over the ledger.</summary>
    public void Publish()
    {
        var copy = _copy ?? throw new InvalidOperationException("No copy to publish.");
        if (File.Exists(copy + ".wal"))
        {
            throw new LedgerException($"Nothing was imported: DuckDB left a WAL beside the copy of the ledger {_display} after its checkpoint; the ledger is unchanged.");
        }
        try
        {
            // The copy has replayed the ledger's WAL, so that WAL is now stale; a reader that opened the new file with
            // it beside would replay it twice.
            if (File.Exists(_ledger + ".wal"))
            {
                File.Delete(_ledger + ".wal");
            }
            File.Move(copy, _ledger, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LedgerException($"Nothing was imported: the written copy cannot replace the ledger {_display} ({ex.Message.TrimEnd('.')}); the ledger is unchanged.", ex);
        }
        _copy = null;
        SyncFolder(System.IO.Path.GetDirectoryName(_ledger)!);
    }

    /// <summary>Deletes the copy in use, if any (the write failed, or nothing was written).</summary>
    public void Abandon()
    {
        if (_copy is { } copy)
        {
            Delete(copy);
            Delete(copy + ".wal");
            _copy = null;
        }
    }

    public void Dispose()
    {
        Abandon();
        _lock.Dispose();
    }

    private static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next writer, which deletes leftovers under the lock.
        }
    }

    /// <summary>Flushes the folder's entry for the renamed file to disk, so the rename survives a power loss (Unix;
    /// best effort: a failure only weakens that guarantee, never the all-or-nothing one).</summary>
    private static void SyncFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        try
        {
            var fd = Native.open(folder, 0);
            if (fd >= 0)
            {
                Native.fsync(fd);
                Native.close(fd);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    private static class Native
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int fd);
    }
}
