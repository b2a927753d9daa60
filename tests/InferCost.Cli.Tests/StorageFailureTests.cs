using System.Diagnostics;

namespace InferCost.Cli.Tests;

/// <summary>Each way the ledger's storage can fail has its own sentence (exit 3), and a failed write changes nothing.</summary>
public class StorageFailureTests
{
    [Fact]
    public void A_damaged_ledger_is_reported_as_damaged_not_as_locked_and_an_import_changes_nothing()
    {
        var folder = CliRunner.TempFolder();
        var ledger = Path.Combine(folder, "ledger.duckdb");
        Assert.Equal(0, CliRunner.Run("import", CliRunner.Fixture("contract/template.csv"), "--ledger", ledger).Exit);
        // One flipped byte in the first block after DuckDB's three 4 KiB headers: its checksum no longer matches
        // (DuckDB's message names the "block", which the old wording check read as a lock).
        var bytes = File.ReadAllBytes(ledger);
        bytes[3 * 4096 + 12] ^= 0xFF;
        File.WriteAllBytes(ledger, bytes);
        var damaged = $"The ledger {ledger} is damaged (DuckDB found a checksum mismatch: the file was changed outside DuckDB, or the disk failed); restore it from a backup or import into a new ledger.";

        var info = CliRunner.Run("ledger", "info", "--ledger", ledger);
        Assert.Equal(3, info.Exit);
        Assert.Equal(damaged, Assert.Single(info.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)));

        var import = CliRunner.Run("import", CliRunner.Fixture("contract/template.json"), "--ledger", ledger);
        Assert.Equal(3, import.Exit);
        Assert.Equal(damaged, Assert.Single(import.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal(bytes, File.ReadAllBytes(ledger));
        Assert.Equal([".ledger.duckdb.lock"], Directory.GetFiles(folder, ".ledger.duckdb*").Select(Path.GetFileName));
    }

    [Fact]
    public void An_import_into_a_read_only_folder_is_one_sentence_that_says_nothing_was_imported_and_reading_still_works()
    {
        var folder = CliRunner.TempFolder();
        var ledger = Path.Combine(folder, "ledger.duckdb");
        Assert.Equal(0, CliRunner.Run("import", CliRunner.Fixture("contract/template.csv"), "--ledger", ledger).Exit);
        var before = File.ReadAllBytes(ledger);
        // The lock file exists from the first import; it is the copy that cannot be created.
        if (OperatingSystem.IsWindows() || !MakeReadOnly(folder))
        {
            // Root without CAP_LINUX_IMMUTABLE can write any folder: nothing to test on this machine.
            return;
        }
        try
        {
            var (exit, output, err) = CliRunner.Run("import", CliRunner.Fixture("contract/template.json"), "--ledger", ledger);

            Assert.Equal(3, exit);
            Assert.Equal(string.Empty, output);
            Assert.Equal(
                $"Nothing was imported: the folder {folder} cannot be written (permission denied), and the ledger {ledger} is written through a copy beside it; the ledger is unchanged.",
                Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
            Assert.Equal(before, File.ReadAllBytes(ledger));
            // Reading needs no write: a read-only ledger still answers.
            Assert.Equal(0, CliRunner.Run("ledger", "info", "--ledger", ledger).Exit);
        }
        finally
        {
            Undo(folder);
        }
    }

    /// <summary>Makes the folder unwritable: by its mode, or (for root, whom modes do not stop) by the immutable
    /// attribute. False when neither takes effect.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static bool MakeReadOnly(string folder)
    {
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        if (!Writable(folder))
        {
            return true;
        }
        Run("chattr", "+i", folder);
        return !Writable(folder);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Undo(string folder)
    {
        Run("chattr", "-i", folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static bool Writable(string folder)
    {
        var probe = Path.Combine(folder, "probe");
        try
        {
            File.WriteAllText(probe, "x");
            File.Delete(probe);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void Run(string program, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true, RedirectStandardOutput = true });
            process?.WaitForExit(10_000);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No such program: the caller sees the folder still writable.
        }
    }
}
