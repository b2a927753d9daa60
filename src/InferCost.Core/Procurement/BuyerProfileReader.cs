using System.Globalization;
using InferCost.Core.Contract;
using InferCost.Core.Diagnostics;
using InferCost.Core.Fit;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace InferCost.Core.Procurement;

/// <summary>The outcome of reading a profile: the profile (null when the YAML itself is unreadable) and every
/// problem found, each with its 1-based line and column.</summary>
public sealed record BuyerProfileReadResult(BuyerProfile? Profile, DiagnosticBag Diagnostics)
{
    public bool Succeeded => Profile is not null && !Diagnostics.HasErrors;
}

/// <summary>Reads profile.yaml from a <see cref="TextReader"/>. Never stops at the first problem: wrong types,
/// unknown keys (with the closest known key), out-of-range values and bad YAML are all reported with line and
/// column. Pure apart from reading the given reader; thread-safe.</summary>
public static class BuyerProfileReader
{
    internal static readonly string[] RootKeys = ["workloads", "capacity", "operations", "fallback", "procurement"];
    internal static readonly string[] WorkloadKeys = ["name", "targetP95Ms", "batchableShare", "concurrencyPeak", "demand", "demandFile", "demandDays"];
    internal static readonly string[] CapacityKeys = ["route", "model", "traceModel", "weights", "gpu", "gpuCount", "contextTokens", "batch", "usdPerGpuHour"];
    internal static readonly string[] OperationsKeys = ["runbookOwner", "monitoringPlan", "rollbackRoute", "modelUpgradePolicy", "securityReview"];
    internal static readonly string[] FallbackKeys = ["route", "model", "routingThreshold", "retryPolicy", "expectedShare", "reviewMinutes"];
    internal static readonly string[] RetryKeys = ["timeoutMs", "maxRetries"];
    internal static readonly string[] ProcurementKeys = ["dataResidency", "vendorSupport", "budgetHorizonMonths", "demandForecastMonths", "depreciationMonths", "powerPlan"];

    private static readonly string[] SecurityValues = ["not-started", "in-progress", "passed", "failed"];
    private static readonly string[] ResidencyValues = ["none", "region-pinned", "private-boundary"];
    private static readonly string[] WeightValues = ["bf16", "fp16", "fp8", "int8", "int4"];

    public static BuyerProfileReadResult Read(TextReader reader)
    {
        var bag = new DiagnosticBag();
        var text = reader.ReadToEnd();
        var stream = new YamlStream();
        try
        {
            // Scan the events first: the scanner reports bad YAML with its position, where building the node tree
            // can fail without one.
            var parser = new Parser(new StringReader(text));
            var last = Mark.Empty;
            try
            {
                while (parser.MoveNext())
                {
                    last = parser.Current!.End;
                }
            }
            catch (InvalidOperationException)
            {
                bag.Add(Diagnostic.Error(last.Line, (int)last.Column, "YAML", null, "is not valid YAML: the structure breaks off after this point (an unclosed bracket or quote?)"));
                return new BuyerProfileReadResult(null, bag);
            }
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            // YamlDotNet's message repeats the position; keep its reason only.
            var reason = ex.InnerException?.Message ?? ex.Message;
            var cut = reason.IndexOf("): ", StringComparison.Ordinal);
            reason = cut >= 0 ? reason[(cut + 3)..] : reason;
            bag.Add(Diagnostic.Error(ex.Start.Line, (int)ex.Start.Column, "YAML", null,
                "is not valid YAML: " + reason.TrimEnd('.').Trim()));
            return new BuyerProfileReadResult(null, bag);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new BuyerProfileReadResult(BuyerProfile.Empty, bag);
        }
        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode;
            bag.Add(Diagnostic.Error(second.Start.Line, (int)second.Start.Column, null, null, "holds a second YAML document; a profile is one document"));
        }
        var rootNode = stream.Documents[0].RootNode;
        if (rootNode is not YamlMappingNode rootMapping)
        {
            bag.Add(Diagnostic.Error(rootNode.Start.Line, (int)rootNode.Start.Column, null, Describe(rootNode),
                "must be a mapping with the keys " + string.Join(", ", RootKeys)));
            return new BuyerProfileReadResult(null, bag);
        }

        var root = new YamlMap(rootMapping, "", bag, RootKeys);
        var profile = new BuyerProfile
        {
            Workloads = ReadWorkloads(root, bag),
            Capacity = root.Map("capacity", CapacityKeys) is { } c ? new CapacityPlan
            {
                Route = c.Route("route"),
                Model = c.Text("model"),
                TraceModel = c.Text("traceModel"),
                Weights = c.Choice("weights", WeightValues),
                Gpu = c.Text("gpu"),
                GpuCount = (int?)c.Integer("gpuCount", 1, 1024),
                ContextTokens = c.Integer("contextTokens", 1, 100_000_000),
                Batch = (int?)c.Integer("batch", 1, 1_000_000),
                UsdPerGpuHour = c.Money("usdPerGpuHour"),
            } : null,
            Operations = root.Map("operations", OperationsKeys) is { } o ? new OperationsEvidence
            {
                RunbookOwner = o.Text("runbookOwner"),
                MonitoringPlan = o.Text("monitoringPlan"),
                RollbackRoute = o.Text("rollbackRoute"),
                ModelUpgradePolicy = o.Text("modelUpgradePolicy"),
                SecurityReview = o.Choice("securityReview", SecurityValues) switch
                {
                    "not-started" => SecurityReviewStatus.NotStarted,
                    "in-progress" => SecurityReviewStatus.InProgress,
                    "passed" => SecurityReviewStatus.Passed,
                    "failed" => SecurityReviewStatus.Failed,
                    _ => null,
                },
            } : null,
            Fallback = root.Map("fallback", FallbackKeys) is { } f ? new FallbackPlan
            {
                Route = f.Route("route"),
                Model = f.Text("model"),
                RoutingThreshold = f.Text("routingThreshold"),
                RetryPolicy = f.Map("retryPolicy", RetryKeys) is { } r
                    ? new RetryPolicy(r.Number("timeoutMs", 1, 3_600_000), (int?)r.Integer("maxRetries", 0, 100))
                    : null,
                ExpectedShare = f.Number("expectedShare", 0, 1),
                ReviewMinutes = f.Number("reviewMinutes", 0, 10_000),
            } : null,
            Procurement = root.Map("procurement", ProcurementKeys) is { } p ? new ProcurementEvidence
            {
                DataResidency = p.Choice("dataResidency", ResidencyValues) switch
                {
                    "none" => DataResidency.None,
                    "region-pinned" => DataResidency.RegionPinned,
                    "private-boundary" => DataResidency.PrivateBoundary,
                    _ => null,
                },
                VendorSupport = p.Text("vendorSupport"),
                BudgetHorizonMonths = (int?)p.Integer("budgetHorizonMonths", 1, 1200),
                DemandForecastMonths = (int?)p.Integer("demandForecastMonths", 0, 1200),
                DepreciationMonths = (int?)p.Integer("depreciationMonths", 1, 1200),
                PowerPlan = p.Text("powerPlan"),
            } : null,
        };
        return new BuyerProfileReadResult(profile, bag);
    }

    private static List<WorkloadProfile> ReadWorkloads(YamlMap root, DiagnosticBag bag)
    {
        var workloads = new List<WorkloadProfile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var w in root.Maps("workloads", WorkloadKeys))
        {
            var name = w.Text("name");
            if (name is null)
            {
                w.Error(w.Node, null, "needs a name (the workload as named in the traces)");
                index++;
                continue;
            }
            if (!seen.Add(name))
            {
                w.Error(w.Node, "name", $"names the workload '{name}' a second time");
            }
            var demand = w.NumberList("demand", 24, 0, 1e12);
            var demandFile = w.Text("demandFile");
            if (demand is not null && demandFile is not null)
            {
                w.Error(w.Node, "demandFile", "gives both demand and demandFile; keep one");
            }
            workloads.Add(new WorkloadProfile
            {
                Name = name,
                TargetP95Ms = w.Number("targetP95Ms", 1, 86_400_000),
                BatchableShare = w.Number("batchableShare", 0, 1),
                ConcurrencyPeak = (int?)w.Integer("concurrencyPeak", 1, 10_000_000),
                DemandRequestsPerHour = demand,
                DemandFile = demandFile,
                DemandDays = (int?)w.Integer("demandDays", 1, 3650),
            });
            index++;
        }
        return workloads;
    }

    internal static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value ?? "",
        YamlSequenceNode => "a list",
        _ => "a mapping",
    };

    /// <summary>A mapping node being read: knows its path for messages, reports unknown keys once, and reads
    /// typed values, reporting each wrong one.</summary>
    private sealed class YamlMap
    {
        private readonly Dictionary<string, (YamlNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);
        private readonly string _path;
        private readonly DiagnosticBag _bag;

        public YamlMap(YamlMappingNode node, string path, DiagnosticBag bag, string[] keys)
        {
            Node = node;
            _path = path;
            _bag = bag;
            foreach (var (key, value) in node.Children)
            {
                var name = key is YamlScalarNode { Value: { } k } ? k : Describe(key);
                if (!keys.Contains(name, StringComparer.Ordinal))
                {
                    var suggestion = Suggest(name, keys);
                    Error(key, name, suggestion is null
                        ? $"is not a known key here; known keys: {string.Join(", ", keys)}"
                        : $"is not a known key here; did you mean '{suggestion}'?", showValue: false);
                    continue;
                }
                _entries[name] = (key, value);
            }
        }

        public YamlMappingNode Node { get; }

        private string PathOf(string? key) => key is null ? (_path.Length == 0 ? "profile" : _path) : _path.Length == 0 ? key : $"{_path}.{key}";

        public void Error(YamlNode at, string? key, string message, bool showValue = true) =>
            _bag.Add(Diagnostic.Error(at.Start.Line, (int)at.Start.Column, PathOf(key), showValue && at is YamlScalarNode s ? s.Value : null, message));

        private YamlNode? Value(string key)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                return null;
            }
            // An empty value or ~ means "not given", like leaving the key out.
            return entry.Value is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" } ? null : entry.Value;
        }

        private string? Scalar(string key, string expected)
        {
            var node = Value(key);
            if (node is null)
            {
                return null;
            }
            if (node is YamlScalarNode s)
            {
                return s.Value;
            }
            Error(node, key, $"must be {expected}, not {Describe(node)}");
            return null;
        }

        public string? Text(string key) => Scalar(key, "text") is { } t && t.Trim().Length > 0 ? t.Trim() : null;

        public double? Number(string key, double min, double max)
        {
            var text = Scalar(key, "a number");
            if (text is null)
            {
                return null;
            }
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                Error(Value(key)!, key, "must be a number (digits with a '.' decimal point)");
                return null;
            }
            if (value < min || value > max)
            {
                Error(Value(key)!, key, $"must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}");
                return null;
            }
            return value;
        }

        public long? Integer(string key, long min, long max)
        {
            var text = Scalar(key, "a whole number");
            if (text is null)
            {
                return null;
            }
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                Error(Value(key)!, key, "must be a whole number");
                return null;
            }
            if (value < min || value > max)
            {
                Error(Value(key)!, key, $"must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}");
                return null;
            }
            return value;
        }

        public decimal? Money(string key)
        {
            var text = Scalar(key, "an amount in USD");
            if (text is null)
            {
                return null;
            }
            if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value > 1_000_000m)
            {
                Error(Value(key)!, key, "must be an amount in USD, zero or more, with a '.' decimal point");
                return null;
            }
            return value;
        }

        public string? Choice(string key, string[] allowed)
        {
            var text = Text(key);
            if (text is null)
            {
                return null;
            }
            var match = allowed.FirstOrDefault(a => string.Equals(a, text, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                Error(Value(key)!, key, $"must be one of {string.Join(", ", allowed)}");
            }
            return match;
        }

        public string? Route(string key)
        {
            var text = Text(key);
            if (text is null)
            {
                return null;
            }
            if (Routes.TryNormalize(text, out var canonical))
            {
                return canonical;
            }
            Error(Value(key)!, key, $"is not a route; valid routes: {string.Join(", ", Routes.All)}");
            return null;
        }

        public IReadOnlyList<double>? NumberList(string key, int count, double min, double max)
        {
            var node = Value(key);
            if (node is null)
            {
                return null;
            }
            if (node is not YamlSequenceNode list)
            {
                Error(node, key, $"must be a list of {count} numbers (requests per hour, hour 0 to {count - 1})");
                return null;
            }
            if (list.Children.Count != count)
            {
                Error(node, key, $"has {list.Children.Count} values; it needs {count} (requests per hour, hour 0 to {count - 1})", showValue: false);
                return null;
            }
            var values = new double[count];
            var ok = true;
            for (var i = 0; i < count; i++)
            {
                var item = list.Children[i];
                if (item is YamlScalarNode { Value: { } t } && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v >= min && v <= max)
                {
                    values[i] = v;
                }
                else
                {
                    Error(item, $"{key}[{i}]", "must be a number of requests, zero or more");
                    ok = false;
                }
            }
            return ok ? values : null;
        }

        public YamlMap? Map(string key, string[] keys)
        {
            var node = Value(key);
            if (node is null)
            {
                return null;
            }
            if (node is YamlMappingNode mapping)
            {
                return new YamlMap(mapping, PathOf(key), _bag, keys);
            }
            Error(node, key, $"must be a mapping with the keys {string.Join(", ", keys)}");
            return null;
        }

        public IEnumerable<YamlMap> Maps(string key, string[] keys)
        {
            var node = Value(key);
            if (node is null)
            {
                yield break;
            }
            if (node is not YamlSequenceNode list)
            {
                Error(node, key, "must be a list of entries, each starting with '- name:'");
                yield break;
            }
            for (var i = 0; i < list.Children.Count; i++)
            {
                if (list.Children[i] is YamlMappingNode item)
                {
                    yield return new YamlMap(item, $"{PathOf(key)}[{i}]", _bag, keys);
                }
                else
                {
                    Error(list.Children[i], $"{key}[{i}]", $"must be a mapping with the keys {string.Join(", ", keys)}");
                }
            }
        }

        private static string? Suggest(string name, string[] keys)
        {
            var best = keys.Select(k => (Key: k, Distance: NameMatcher.Levenshtein(name.ToLowerInvariant(), k.ToLowerInvariant())))
                .OrderBy(p => p.Distance).First();
            return best.Distance <= Math.Max(2, name.Length / 3) ? best.Key : null;
        }
    }
}
