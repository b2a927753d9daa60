using System.Diagnostics;
using System.Runtime.InteropServices;

namespace InferCost.Bench.Client;

/// <summary>Blocks the calling thread until a <see cref="Stopwatch"/> timestamp, tens of microseconds late at most
/// on an idle core. <c>Task.Delay</c> and <c>Thread.Sleep</c> round to whole milliseconds (and <c>Task.Delay</c> then
/// hops to the thread pool), which puts a millisecond of schedule lag on every open-loop arrival. On Linux the wait
/// sleeps in <c>clock_nanosleep</c> to just before the deadline and spins the last stretch; elsewhere it sleeps whole
/// milliseconds while more than two remain and spins the rest. Meant for one dedicated thread. Thread-safe.</summary>
internal static class PreciseWait
{
    private const int ClockMonotonic = 1;

    /// <summary>Sleeps end this long before the deadline; Linux wakes a sleeper up to ~50 µs late (timer slack).</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000;

    /// <summary>The longest single sleep, so a cancellation is noticed within it.</summary>
    private static readonly long MaxSleepTicks = Stopwatch.Frequency / 50;

    private static bool s_nanosleep = OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    /// <summary>Returns true at or just after <paramref name="deadline"/>, false as soon as the token is cancelled.</summary>
    public static bool Until(long deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            var sleep = deadline - SpinTicks - Stopwatch.GetTimestamp();
            if (sleep <= 0)
            {
                break;
            }
            Sleep(Math.Min(sleep, MaxSleepTicks));
        }
        var spinner = new SpinWait();
        while (Stopwatch.GetTimestamp() < deadline)
        {
            // -1: never fall back to Thread.Sleep(1), which would overshoot by a millisecond.
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        return !cancellationToken.IsCancellationRequested;
    }

    private static void Sleep(long ticks)
    {
        if (s_nanosleep)
        {
            var nanoseconds = ticks * (1_000_000_000.0 / Stopwatch.Frequency);
            var request = new Timespec { Seconds = (nint)(nanoseconds / 1e9), Nanoseconds = (nint)(nanoseconds % 1e9) };
            try
            {
                // Interrupted (EINTR) or not, the caller's loop re-reads the clock.
                _ = ClockNanosleep(ClockMonotonic, 0, in request, IntPtr.Zero);
                return;
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                s_nanosleep = false;
            }
        }
        var wholeMs = ticks * 1000 / Stopwatch.Frequency - 1;
        if (wholeMs >= 1)
        {
            Thread.Sleep((int)wholeMs);
        }
        else
        {
            Thread.Yield();
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_nanosleep")]
    private static extern int ClockNanosleep(int clockId, int flags, in Timespec request, IntPtr remaining);
}
