using System.Globalization;
using InferCost.Core.Contract;
using InferCost.Core.Diagnostics;
using InferCost.Core.Reading;

namespace InferCost.Core.Events;

/// <summary>
/// Turns one raw row (addressed by <see cref="EventFields"/> index) into a <see cref="RequestEvent"/>, checking
/// every rule and reporting every problem of the row. Interns repeated text. Not thread-safe.
/// </summary>
internal sealed class EventRowBinder(bool reportMissingFieldsPerRow)
{
    private static readonly IReadOnlyList<FieldSpec> Fields = EventFields.All;
    private readonly string?[] _text = new string?[Fields.Count];
    private readonly double[] _number = new double[Fields.Count];
    private readonly long[] _integer = new long[Fields.Count];
    private readonly bool[] _bool = new bool[Fields.Count];
    // One delegate per binder, made once: binding a row allocates nothing.
    private FieldBinding.ParseValue? _parseValue;
    private FieldBinding.ParseValue _parse => _parseValue ??= Parse;
    private readonly bool[] _present = new bool[Fields.Count];
    private DateTimeOffset _startedAt, _endedAt;
    private decimal _cost;
    private EventStatus _status;
    private readonly Dictionary<string, string> _interned = new(StringComparer.Ordinal);

    /// <summary>Returns the event, or null when it broke a rule.</summary>
    public RequestEvent? Bind(IRawRow row, DiagnosticBag diagnostics)
    {
        var errorsBefore = diagnostics.ErrorCount;
        FieldBinding.ParseEach(row, Fields, _present, reportMissingFieldsPerRow, diagnostics, _parse);
        if (diagnostics.ErrorCount != errorsBefore)
        {
            return null;
        }
        return CheckAcrossFields(row, diagnostics) ? Build() : null;
    }

    private string? Parse(int i, FieldSpec spec, ReadOnlySpan<char> value)
    {
        switch (i)
        {
            case EventFields.StartedAt:
                return EventTime.Parse(value, out _startedAt);
            case EventFields.EndedAt:
                return EventTime.Parse(value, out _endedAt);
            case EventFields.Status:
                return EventStatusNames.TryParse(value.ToString(), out _status) ? null : "is not a status; use one of " + EventStatusNames.All;
            case EventFields.CostUsd:
                return ValueParsers.ParseMoney(value, out _cost);
        }
        switch (spec.Kind)
        {
            case FieldKind.Route:
                if (Routes.TryNormalize(value, out var canonical))
                {
                    _text[i] = canonical;
                    return null;
                }
                return "is not a known route; use one of: " + string.Join(", ", Routes.All) +
                       " (or an alias: managed, serverless, dedicated, self-hosted, owned)";
            case FieldKind.Text:
                _text[i] = i == EventFields.RequestId ? value.Trim().ToString() : Intern(value.Trim());
                return null;
            case FieldKind.Integer:
                // Fast path for plain digits; the general parser gives the precise reason otherwise.
                if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var whole) && whole >= spec.MinimumInteger)
                {
                    _integer[i] = whole;
                    return null;
                }
                return ValueParsers.ParseInteger(value, spec.MinimumInteger, out _integer[i]);
            case FieldKind.Boolean:
                return ValueParsers.ParseBoolean(value, out _bool[i]);
            default:
                return ValueParsers.ParseNonNegative(value, out _number[i]);
        }
    }

    private bool CheckAcrossFields(IRawRow row, DiagnosticBag diagnostics)
    {
        var ok = true;
        void Error(int field, string message)
        {
            var line = row.Has(field) ? row.Line(field) : row.RowLine;
            var value = row.Has(field) ? row.Value(field).ToString() : null;
            diagnostics.Add(Diagnostic.Error(line, row.Has(field) ? row.ColumnNumber(field) : null, Fields[field].Name, value, message));
            ok = false;
        }
        if (!_present[EventFields.LatencyMs])
        {
            if (!_present[EventFields.EndedAt])
            {
                // A CSV header without either column has said so once; the rows need not repeat it.
                var headerSaidSo = !reportMissingFieldsPerRow && !row.Has(EventFields.LatencyMs) && !row.Has(EventFields.EndedAt);
                if (!headerSaidSo)
                {
                    Error(EventFields.LatencyMs, "is missing: give latencyMs or endedAt");
                }
                return false;
            }
            var latency = EventTime.EpochMs(_endedAt) - EventTime.EpochMs(_startedAt);
            if (latency < 0)
            {
                Error(EventFields.EndedAt, "is before startedAt");
                return false;
            }
            _number[EventFields.LatencyMs] = latency;
        }
        else if (_present[EventFields.EndedAt] && _endedAt < _startedAt)
        {
            Error(EventFields.EndedAt, "is before startedAt");
        }
        if (_present[EventFields.TtftMs] && _number[EventFields.TtftMs] > _number[EventFields.LatencyMs])
        {
            Error(EventFields.TtftMs, $"exceeds the latency ({Num(_number[EventFields.LatencyMs])} ms); the first token cannot arrive after the last byte");
        }
        var cached = _present[EventFields.CachedInputTokens] ? _integer[EventFields.CachedInputTokens] : 0;
        var written = _present[EventFields.CacheWriteTokens] ? _integer[EventFields.CacheWriteTokens] : 0;
        if (cached + written > _integer[EventFields.InputTokens])
        {
            Error(_present[EventFields.CachedInputTokens] ? EventFields.CachedInputTokens : EventFields.CacheWriteTokens,
                $"cached plus cache-write tokens ({cached + written}) exceed inputTokens ({_integer[EventFields.InputTokens]}); inputTokens counts all input, cached included");
        }
        if (_present[EventFields.ReasoningTokens] && _integer[EventFields.ReasoningTokens] > _integer[EventFields.OutputTokens])
        {
            Error(EventFields.ReasoningTokens, $"exceeds outputTokens ({_integer[EventFields.OutputTokens]}); reasoning tokens are counted inside outputTokens");
        }
        return ok;
    }

    private static string Num(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private RequestEvent Build() => new()
    {
        RequestId = _text[EventFields.RequestId]!,
        StartedAt = _startedAt,
        LatencyMs = _number[EventFields.LatencyMs],
        Route = _text[EventFields.Route]!,
        Provider = _text[EventFields.Provider]!,
        Model = _text[EventFields.Model]!,
        Workload = _text[EventFields.Workload]!,
        InputTokens = _integer[EventFields.InputTokens],
        CachedInputTokens = Long(EventFields.CachedInputTokens) ?? 0,
        CacheWriteTokens = Long(EventFields.CacheWriteTokens) ?? 0,
        OutputTokens = _integer[EventFields.OutputTokens],
        ReasoningTokens = Long(EventFields.ReasoningTokens),
        TtftMs = _present[EventFields.TtftMs] ? _number[EventFields.TtftMs] : null,
        Status = _present[EventFields.Status] ? _status : EventStatus.Ok,
        Attempt = (int)Math.Min(int.MaxValue, Long(EventFields.Attempt) ?? 1),
        Accepted = _present[EventFields.Accepted] ? _bool[EventFields.Accepted] : null,
        ReviewMinutes = _present[EventFields.ReviewMinutes] ? _number[EventFields.ReviewMinutes] : null,
        CostUsd = _present[EventFields.CostUsd] ? _cost : null,
        Batch = _present[EventFields.Batch] && _bool[EventFields.Batch],
        Concurrency = Long(EventFields.Concurrency),
        RunId = _present[EventFields.RunId] ? _text[EventFields.RunId] : null,
    };

    private long? Long(int i) => _present[i] ? _integer[i] : null;

    private string Intern(ReadOnlySpan<char> value)
    {
        var lookup = _interned.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(value, out var existing))
        {
            return existing;
        }
        if (_interned.Count > 100_000)
        {
            return value.ToString(); // request ids are unique per row: stop interning rather than grow without bound
        }
        var created = value.ToString();
        _interned[created] = created;
        return created;
    }
}
