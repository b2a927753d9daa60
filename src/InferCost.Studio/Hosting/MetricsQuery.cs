using System.Globalization;
using InferCost.Core.Metrics;

namespace InferCost.Studio.Hosting;

/// <summary>The query parameters metrics, reports and pages share; the same meaning and checks as the CLI's
/// <c>--by</c>, <c>--reviewer-usd-per-hour</c> and <c>--target-p95-ms</c>. Numbers use the invariant culture.</summary>
public sealed record MetricsQuery(string? By, string? ReviewerUsdPerHour, string? TargetP95Ms)
{
    public bool TryBuild(out MetricsOptions options, out string? problem)
    {
        options = new MetricsOptions();
        problem = null;
        var groupBy = GroupDimensions.Default;
        if (!string.IsNullOrWhiteSpace(By))
        {
            groupBy = GroupDimensions.Parse(By, out var byProblem)!;
            if (byProblem is not null)
            {
                problem = byProblem + ".";
                return false;
            }
        }
        var reviewer = MetricsOptions.DefaultReviewerUsdPerHour;
        if (!string.IsNullOrWhiteSpace(ReviewerUsdPerHour) &&
            (!decimal.TryParse(ReviewerUsdPerHour, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out reviewer) || reviewer < 0))
        {
            problem = $"reviewerUsdPerHour '{ReviewerUsdPerHour}' must be a number of USD, zero or more, with a '.' decimal point.";
            return false;
        }
        double? target = null;
        if (!string.IsNullOrWhiteSpace(TargetP95Ms))
        {
            if (!double.TryParse(TargetP95Ms, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var t) || !double.IsFinite(t) || t < 0)
            {
                problem = $"targetP95Ms '{TargetP95Ms}' must be a finite number of milliseconds, zero or more.";
                return false;
            }
            target = t;
        }
        options = new MetricsOptions { ReviewerUsdPerHour = reviewer, TargetP95Ms = target, GroupBy = groupBy };
        return true;
    }

    /// <summary>A cache key for results computed from one snapshot with these options.</summary>
    public string Key(MetricsOptions options) =>
        string.Create(CultureInfo.InvariantCulture, $"{string.Join(",", options.GroupBy)}|{options.ReviewerUsdPerHour}|{options.TargetP95Ms}");

    /// <summary>The query string that reproduces these parameters (for links between pages).</summary>
    public string QueryString()
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }
        Add("by", By);
        Add("reviewerUsdPerHour", ReviewerUsdPerHour);
        Add("targetP95Ms", TargetP95Ms);
        return parts.Count == 0 ? string.Empty : "?" + string.Join("&", parts);
    }
}
