using InferCost.Core.Diagnostics;
using InferCost.Core.Procurement;

namespace InferCost.Cli;

/// <summary>A buyer profile read from disk, with the demand files it names resolved next to it.</summary>
internal sealed record LoadedProfile(BuyerProfile Profile, string Path, IReadOnlyDictionary<string, HourlyDemand> Demand);

/// <summary>Reads profile.yaml and its demand files, printing every problem as one sentence.</summary>
internal static class ProfileInputs
{
    /// <summary>Returns the profile, or null with <paramref name="exitCode"/> set (1 invalid, 3 unreadable).</summary>
    public static LoadedProfile? Load(string path, CommandContext context, out int exitCode)
    {
        exitCode = ExitCodes.Success;
        BuyerProfileReadResult read;
        try
        {
            using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
            read = BuyerProfileReader.Read(reader);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Err.WriteLine(ex is FileNotFoundException or DirectoryNotFoundException
                ? $"{path}: no such profile file."
                : $"{path}: cannot be read: {ex.Message}");
            exitCode = ExitCodes.Environment;
            return null;
        }
        foreach (var error in read.Diagnostics.Errors)
        {
            context.Err.WriteLine(error.ToSentence(path));
        }
        if (!read.Succeeded)
        {
            context.Err.WriteLine($"Nothing was computed: the profile {path} is invalid (see the errors above).");
            exitCode = ExitCodes.Invalid;
            return null;
        }

        var demand = new Dictionary<string, HourlyDemand>(StringComparer.Ordinal);
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";
        foreach (var workload in read.Profile!.Workloads.Where(w => w.DemandFile is not null))
        {
            // A demand file is found relative to the profile, so a profile and its files move together.
            var file = System.IO.Path.IsPathRooted(workload.DemandFile!) ? workload.DemandFile! : System.IO.Path.Combine(folder, workload.DemandFile!);
            var bag = new DiagnosticBag();
            HourlyDemand? hourly;
            try
            {
                using var reader = new StreamReader(file);
                hourly = HourlyDemand.Read(reader, workload.DemandFile!, bag);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                context.Err.WriteLine($"{file} (demandFile of workload {workload.Name} in {path}): {(ex is FileNotFoundException or DirectoryNotFoundException ? "no such file" : ex.Message)}.");
                exitCode = ExitCodes.Environment;
                return null;
            }
            foreach (var error in bag.Errors)
            {
                context.Err.WriteLine(error.ToSentence(file));
            }
            if (hourly is null)
            {
                exitCode = ExitCodes.Invalid;
                return null;
            }
            demand[workload.Name] = hourly;
        }
        return new LoadedProfile(read.Profile, path, demand);
    }
}
