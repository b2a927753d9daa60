using System.Globalization;
using System.Text.Json;
using InferCost.Core.Contract;
using InferCost.Core.Diagnostics;
using InferCost.Core.Fit;

namespace InferCost.Core.Pricing;

/// <summary>Reads a price catalog file (schema <c>infercost.prices/v1</c>). Every problem is a <see cref="Diagnostic"/>
/// with line, column, the JSON path, the value and the reason; the reader never stops at the first one and never
/// throws on bad content. A user's file may hold any subset of the sections.</summary>
public static class PriceCatalogReader
{
    private static readonly string[] TokenKeys = ["provider", "model", "aliases", "inputUsdPerMTok", "cachedInputUsdPerMTok", "cacheWriteUsdPerMTok", "outputUsdPerMTok", "batchInputUsdPerMTok", "batchOutputUsdPerMTok", "effectiveDate", "source", "notes"];
    private static readonly string[] OfferKeys = ["gpuType", "provider", "route", "kind", "usdPerGpuHour", "usdPerGpuSecond", "effectiveDate", "source", "notes"];
    private static readonly string[] OwnedKeys = ["gpuType", "capexUsdPerGpu", "lifeYears", "residualValueShare", "costOfCapital", "powerUsdPerKwh", "pue", "operationsUsdPerGpuYear", "basis", "powerSource", "effectiveDate", "source", "notes"];
    private static readonly string[] OperationsKeys = ["selfHostedEngineerHoursPerMonth", "engineerUsdPerHour", "autoscalingFloorReplicas", "basis", "effectiveDate", "source", "notes"];
    private static readonly string[] RootKeys = ["schema", "version", "notes", "tokenPrices", "gpuOffers", "ownedHardware", "operations"];

    /// <param name="name">The file as the user named it; recorded in every entry's provenance.</param>
    /// <param name="requireOperations">True for the built-in catalog, which must be complete.</param>
    public static PriceCatalogReadResult Read(Stream stream, string name, bool requireOperations = false)
    {
        byte[] bytes;
        using (var buffer = new MemoryStream())
        {
            stream.CopyTo(buffer);
            bytes = buffer.ToArray();
        }
        var diagnostics = new List<Diagnostic>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            var reason = bytes.Length == 0 ? "is empty: a price catalog is a JSON object" : "is not valid JSON: " + ex.Message.Split(" LineNumber:")[0].TrimEnd('.', ' ');
            diagnostics.Add(Diagnostic.Error((ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1, null, null, reason));
            return new PriceCatalogReadResult(null, diagnostics);
        }
        using (document)
        {
            var context = new Context(new JsonLocator(bytes), diagnostics, name);
            var catalog = ReadRoot(document.RootElement, context, requireOperations);
            return new PriceCatalogReadResult(diagnostics.Any(d => d.Severity == Severity.Error) ? null : catalog, diagnostics);
        }
    }

    private static PriceCatalog? ReadRoot(JsonElement root, Context c, bool requireOperations)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            c.Error("", null, "must be a JSON object with \"schema\": \"" + PriceCatalog.Schema + "\"");
            return null;
        }
        if (!root.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.String || schema.GetString() != PriceCatalog.Schema)
        {
            c.Error("schema", root.TryGetProperty("schema", out var s) ? s.ToString() : null, $"must be \"{PriceCatalog.Schema}\"");
            return null;
        }
        c.WarnUnknown(root, "", RootKeys);
        var version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "unversioned";
        var tokens = Section(root, "tokenPrices", c, ReadTokenPrice);
        var offers = Section(root, "gpuOffers", c, ReadOffer);
        var owned = Section(root, "ownedHardware", c, ReadOwned);
        OperationsAssumptions? operations = null;
        if (root.TryGetProperty("operations", out var ops))
        {
            operations = ReadOperations(ops, "operations", c);
        }
        else if (requireOperations)
        {
            c.Error("operations", null, "is required in the built-in catalog");
        }
        foreach (var duplicate in tokens.GroupBy(t => NameMatcher.Normalize(t.Entry.Provider) + "|" + NameMatcher.Normalize(t.Entry.Model)).Where(g => g.Count() > 1))
        {
            var second = duplicate.Skip(1).First();
            c.Error(second.Path + ".model", second.Entry.Model, $"repeats the {second.Entry.Provider} model of an earlier entry; give each provider/model once");
        }
        return new PriceCatalog([$"{c.Name} {version}"], tokens.Select(t => t.Entry).ToList(), offers.Select(o => o.Entry).ToList(), owned.Select(o => o.Entry).ToList(), operations);
    }

    private static List<(T Entry, string Path)> Section<T>(JsonElement root, string key, Context c, Func<JsonElement, string, Context, T?> read) where T : class
    {
        var result = new List<(T, string)>();
        if (!root.TryGetProperty(key, out var array))
        {
            return result;
        }
        if (array.ValueKind != JsonValueKind.Array)
        {
            c.Error(key, null, "must be an array");
            return result;
        }
        var i = 0;
        foreach (var element in array.EnumerateArray())
        {
            var path = $"{key}[{i++}]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                c.Error(path, element.ToString(), "must be an object");
                continue;
            }
            if (read(element, path, c) is { } entry)
            {
                result.Add((entry, path));
            }
        }
        return result;
    }

    private static TokenPrice? ReadTokenPrice(JsonElement e, string path, Context c)
    {
        var errors = c.ErrorCount;
        c.WarnUnknown(e, path, TokenKeys);
        var provider = c.Text(e, path, "provider");
        var model = c.Text(e, path, "model");
        var aliases = c.Strings(e, path, "aliases");
        var input = c.Money(e, path, "inputUsdPerMTok", required: true);
        var cached = c.Money(e, path, "cachedInputUsdPerMTok", required: false);
        var write = c.Money(e, path, "cacheWriteUsdPerMTok", required: false);
        var output = c.Money(e, path, "outputUsdPerMTok", required: true);
        var batchIn = c.Money(e, path, "batchInputUsdPerMTok", required: false);
        var batchOut = c.Money(e, path, "batchOutputUsdPerMTok", required: false);
        if ((batchIn is null) != (batchOut is null) && c.ErrorCount == errors)
        {
            c.Error($"{path}.{(batchIn is null ? "batchOutputUsdPerMTok" : "batchInputUsdPerMTok")}", null, "a batch lane needs both batchInputUsdPerMTok and batchOutputUsdPerMTok");
        }
        var provenance = c.Provenance(e, path);
        return c.ErrorCount > errors ? null : new TokenPrice
        {
            Provider = provider!, Model = model!, Aliases = aliases, InputUsdPerMTok = input!.Value, CachedInputUsdPerMTok = cached,
            CacheWriteUsdPerMTok = write, OutputUsdPerMTok = output!.Value, BatchInputUsdPerMTok = batchIn, BatchOutputUsdPerMTok = batchOut,
            Provenance = provenance!,
        };
    }

    private static GpuOffer? ReadOffer(JsonElement e, string path, Context c)
    {
        var errors = c.ErrorCount;
        c.WarnUnknown(e, path, OfferKeys);
        var gpu = c.Gpu(e, path);
        var provider = c.Text(e, path, "provider");
        string? route = null;
        if (c.Text(e, path, "route") is { } routeText)
        {
            if (Routes.TryNormalize(routeText, out var canonical) && canonical is Routes.DedicatedEndpoint or Routes.SelfHostedGpuStack)
            {
                route = canonical;
            }
            else
            {
                c.Error(path + ".route", routeText, $"must be \"{Routes.DedicatedEndpoint}\" or \"{Routes.SelfHostedGpuStack}\" (owned hardware goes in ownedHardware)");
            }
        }
        GpuOfferKind? kind = null;
        if (c.Text(e, path, "kind") is { } kindText)
        {
            kind = kindText.ToLowerInvariant() switch
            {
                "on-demand" => GpuOfferKind.OnDemand,
                "reserved" => GpuOfferKind.Reserved,
                "serverless-per-second" => GpuOfferKind.ServerlessPerSecond,
                _ => null,
            };
            if (kind is null)
            {
                c.Error(path + ".kind", kindText, "must be on-demand, reserved or serverless-per-second");
            }
        }
        var hourly = c.Money(e, path, "usdPerGpuHour", required: false);
        var perSecond = c.Money(e, path, "usdPerGpuSecond", required: false);
        if ((hourly is null) == (perSecond is null) && c.ErrorCount == errors)
        {
            c.Error(path + ".usdPerGpuHour", null, "give exactly one of usdPerGpuHour and usdPerGpuSecond");
        }
        var provenance = c.Provenance(e, path);
        return c.ErrorCount > errors ? null : new GpuOffer
        {
            GpuType = gpu!, Provider = provider!, Route = route!, Kind = kind!.Value,
            UsdPerGpuHour = hourly ?? perSecond!.Value * 3600m, UsdPerGpuSecond = perSecond, Provenance = provenance!,
        };
    }

    private static OwnedHardware? ReadOwned(JsonElement e, string path, Context c)
    {
        var errors = c.ErrorCount;
        c.WarnUnknown(e, path, OwnedKeys);
        var gpu = c.Gpu(e, path);
        var capex = c.Money(e, path, "capexUsdPerGpu", required: true);
        var life = c.Number(e, path, "lifeYears", 1, 30, "a whole number of years from 1 to 30", integer: true);
        var residual = c.Number(e, path, "residualValueShare", 0, 1, "a share from 0 to 1");
        var capital = c.Number(e, path, "costOfCapital", 0, 1, "an annual rate from 0 to 1 (0.08 is 8%)");
        var power = c.Money(e, path, "powerUsdPerKwh", required: true);
        var pue = c.Number(e, path, "pue", 1, 5, "a power usage effectiveness from 1 to 5");
        var ops = c.Money(e, path, "operationsUsdPerGpuYear", required: true);
        var basis = e.TryGetProperty("basis", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString()! : "estimate";
        var provenance = c.Provenance(e, path);
        return c.ErrorCount > errors ? null : new OwnedHardware
        {
            GpuType = gpu!, CapexUsdPerGpu = capex!.Value, LifeYears = (int)life!.Value, ResidualValueShare = residual!.Value,
            CostOfCapital = capital!.Value, PowerUsdPerKwh = power!.Value, Pue = pue!.Value, OperationsUsdPerGpuYear = ops!.Value,
            Basis = basis, Provenance = provenance!,
        };
    }

    private static OperationsAssumptions? ReadOperations(JsonElement e, string path, Context c)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            c.Error(path, e.ToString(), "must be an object");
            return null;
        }
        var errors = c.ErrorCount;
        c.WarnUnknown(e, path, OperationsKeys);
        var hours = c.Number(e, path, "selfHostedEngineerHoursPerMonth", 0, 744, "hours per month from 0 to 744");
        var rate = c.Money(e, path, "engineerUsdPerHour", required: true);
        var floor = c.Number(e, path, "autoscalingFloorReplicas", 0, 10000, "a whole number of replicas from 0", integer: true);
        var provenance = c.Provenance(e, path);
        return c.ErrorCount > errors ? null : new OperationsAssumptions
        {
            SelfHostedEngineerHoursPerMonth = hours!.Value, EngineerUsdPerHour = rate!.Value, AutoscalingFloorReplicas = (int)floor!.Value, Provenance = provenance!,
        };
    }

    /// <summary>Per-file reading state: where values are, what went wrong.</summary>
    private sealed class Context(JsonLocator locator, List<Diagnostic> diagnostics, string name)
    {
        public string Name { get; } = name;
        public int ErrorCount => diagnostics.Count(d => d.Severity == Severity.Error);

        public void Error(string path, string? value, string message)
        {
            var (line, column) = locator.Find(path);
            diagnostics.Add(Diagnostic.Error(line, column, path.Length == 0 ? null : path, value, message));
        }

        public void WarnUnknown(JsonElement e, string path, string[] known)
        {
            foreach (var property in e.EnumerateObject().Where(p => !known.Contains(p.Name, StringComparer.Ordinal)))
            {
                var full = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                var (line, column) = locator.Find(full);
                diagnostics.Add(Diagnostic.Warning(line, column, full, null, "is not a price catalog key and is ignored"));
            }
        }

        public string? Text(JsonElement e, string path, string key)
        {
            if (!e.TryGetProperty(key, out var value))
            {
                Error(path, null, $"needs \"{key}\"");
                return null;
            }
            if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            {
                Error($"{path}.{key}", value.ToString(), "must be a non-empty string");
                return null;
            }
            return value.GetString()!.Trim();
        }

        public IReadOnlyList<string> Strings(JsonElement e, string path, string key)
        {
            if (!e.TryGetProperty(key, out var value))
            {
                return [];
            }
            if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String))
            {
                Error($"{path}.{key}", value.ToString(), "must be an array of strings");
                return [];
            }
            return value.EnumerateArray().Select(a => a.GetString()!).ToList();
        }

        public decimal? Money(JsonElement e, string path, string key, bool required) =>
            Number(e, path, key, 0, null, "a price in USD, zero or more", required: required);

        public decimal? Number(JsonElement e, string path, string key, decimal min, decimal? max, string what, bool integer = false, bool required = true)
        {
            if (!e.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    Error(path, null, $"needs \"{key}\" ({what})");
                }
                return null;
            }
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
            {
                Error($"{path}.{key}", value.ToString(), $"must be a JSON number: {what}");
                return null;
            }
            if (number < min || (max is { } m && number > m) || (integer && number != decimal.Truncate(number)))
            {
                Error($"{path}.{key}", value.GetRawText(), $"must be {what}");
                return null;
            }
            return number;
        }

        public string? Gpu(JsonElement e, string path)
        {
            if (Text(e, path, "gpuType") is not { } text)
            {
                return null;
            }
            var match = GpuCatalog.BuiltIn.Find(text);
            if (match.Match is null)
            {
                var hint = match.CloseMatches.Count > 0 ? "close matches: " + string.Join(", ", match.CloseMatches) : "known GPUs: " + string.Join(", ", GpuCatalog.BuiltIn.Gpus.Select(g => g.Aliases.FirstOrDefault() ?? g.Name));
                Error($"{path}.gpuType", text, $"is not in the GPU catalog (catalog/gpus.json); {hint}");
                return null;
            }
            return match.Match.Name;
        }

        public PriceProvenance? Provenance(JsonElement e, string path)
        {
            DateOnly? date = null;
            if (Text(e, path, "effectiveDate") is { } dateText)
            {
                if (DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    date = d;
                }
                else
                {
                    Error($"{path}.effectiveDate", dateText, "must be a date written yyyy-MM-dd");
                }
            }
            string? source = null;
            if (Text(e, path, "source") is { } sourceText)
            {
                if (Uri.TryCreate(sourceText, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeFile))
                {
                    source = sourceText;
                }
                else
                {
                    Error($"{path}.source", sourceText, "must be the URL the figure was read from (http, https or file)");
                }
            }
            return date is null || source is null ? null : new PriceProvenance(date.Value, source, Name);
        }
    }
}
