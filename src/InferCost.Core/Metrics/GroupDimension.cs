namespace InferCost.Core.Metrics;

/// <summary>A column rows can be grouped by.</summary>
public enum GroupDimension
{
    Route,
    Provider,
    Model,
    Workload,
    Concurrency,
}

public static class GroupDimensions
{
    /// <summary>Fine enough that two models on one route are never mixed silently.</summary>
    public static readonly IReadOnlyList<GroupDimension> Default =
        [GroupDimension.Route, GroupDimension.Provider, GroupDimension.Model, GroupDimension.Workload, GroupDimension.Concurrency];

    public static string Name(GroupDimension d) => d switch
    {
        GroupDimension.Route => "route",
        GroupDimension.Provider => "provider",
        GroupDimension.Model => "model",
        GroupDimension.Workload => "workload",
        _ => "concurrency",
    };

    /// <summary>Parses "route,workload,concurrency"; returns null and a reason on an unknown name or a repeat.</summary>
    public static IReadOnlyList<GroupDimension>? Parse(string text, out string? problem)
    {
        var result = new List<GroupDimension>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            GroupDimension? d = part.ToLowerInvariant() switch
            {
                "route" => GroupDimension.Route,
                "provider" => GroupDimension.Provider,
                "model" => GroupDimension.Model,
                "workload" => GroupDimension.Workload,
                "concurrency" => GroupDimension.Concurrency,
                _ => null,
            };
            if (d is null)
            {
                problem = $"--by: \"{part}\" is not a grouping column; use route, provider, model, workload or concurrency";
                return null;
            }
            if (result.Contains(d.Value))
            {
                problem = $"--by: \"{part}\" is given twice";
                return null;
            }
            result.Add(d.Value);
        }
        if (result.Count == 0)
        {
            problem = "--by needs at least one of route, provider, model, workload, concurrency";
            return null;
        }
        problem = null;
        // Canonical order, so output does not depend on how the flag was typed.
        return [.. result.Order()];
    }
}
