using System.CommandLine;
using InferCost.Core.Kit;

namespace InferCost.Cli.Commands;

internal static class KitCommand
{
    public static Command Create(CommandContext context)
    {
        var output = new Option<string>("--out") { Description = "Folder to write the kit into.", DefaultValueFactory = _ => "trace-kit" };
        var force = new Option<bool>("--force") { Description = "Overwrite files that already exist." };
        var init = new Command("init", "Write the Trace Kit: runbook.md, trace-template.csv, trace-schema.json, manifest.json, and an example buyer profile (profile.yaml) for infercost procure.\nExample: infercost kit init --out trace-kit")
        {
            output, force,
        };
        init.SetAction(parse => Init(parse.GetValue(output)!, parse.GetValue(force), context));
        return new Command("kit", "The Trace Kit: the import contract and its artifacts.") { init };
    }

    internal static int Init(string folder, bool force, CommandContext context)
    {
        var artifacts = KitArtifacts.Build();
        var existing = artifacts.Select(a => Path.Combine(folder, a.FileName)).Where(File.Exists).ToList();
        if (existing.Count > 0 && !force)
        {
            context.Err.WriteLine($"{string.Join(", ", existing)} already exist{(existing.Count == 1 ? "s" : string.Empty)}; nothing was written (use --force to overwrite).");
            return ExitCodes.Invalid;
        }
        try
        {
            Directory.CreateDirectory(folder);
            foreach (var (fileName, content) in artifacts)
            {
                AtomicFile.WriteAllText(Path.Combine(folder, fileName), content);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Err.WriteLine($"Cannot write the kit into {folder}: {ex.Message}");
            return ExitCodes.Environment;
        }
        context.Out.WriteLine($"Wrote the Trace Kit to {folder}/: {string.Join(", ", artifacts.Select(a => a.FileName))}");
        return ExitCodes.Success;
    }
}
