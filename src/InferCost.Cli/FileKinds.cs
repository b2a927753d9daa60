using System.Runtime.InteropServices;

namespace InferCost.Cli;

/// <summary>Tells a regular file from a FIFO, socket or device before it is opened: opening a FIFO for reading blocks
/// until a writer comes (a folder holding one hung <c>import</c>), and <c>/dev/zero</c> never ends. .NET's FileInfo
/// reports all of them as "Normal", so this asks stat(2) through the runtime's own portable shim, whose FileStatus
/// struct puts the mode (file type bits included) at byte 4 on every platform.</summary>
internal static partial class FileKinds
{
    private const int TypeMask = 0xF000;
    private const int RegularFile = 0x8000;

    /// <summary>True for a regular file (after following links); also true when the type cannot be asked, so a
    /// platform without the shim reads files as before.</summary>
    public static bool IsRegularFile(string path)
    {
        try
        {
            var status = new byte[256];
            if (Stat(path, status) != 0)
            {
                return true;
            }
            return (BitConverter.ToInt32(status, 4) & TypeMask) == RegularFile;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return true;
        }
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, byte[] status);
}
