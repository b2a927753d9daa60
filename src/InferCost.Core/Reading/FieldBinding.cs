using InferCost.Core.Contract;
using InferCost.Core.Diagnostics;

namespace InferCost.Core.Reading;

/// <summary>The per-field pass shared by the contract-row and request-event binders: a missing or empty required
/// field and every value its parser rejects becomes a located diagnostic; what parses is marked present.</summary>
internal static class FieldBinding
{
    /// <summary>Parses one value into the binder's buffers; returns null when it is valid, else the reason.</summary>
    internal delegate string? ParseValue(int index, FieldSpec spec, ReadOnlySpan<char> value);

    public static void ParseEach(IRawRow row, IReadOnlyList<FieldSpec> fields, bool[] present, bool reportMissingFieldsPerRow,
        DiagnosticBag diagnostics, ParseValue parse)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            present[i] = false;
            var spec = fields[i];
            if (!row.Has(i))
            {
                if (spec.IsRequired && reportMissingFieldsPerRow)
                {
                    diagnostics.Add(Diagnostic.Error(row.RowLine, null, spec.Name, null, "required field is missing"));
                }
                continue;
            }
            var value = row.Value(i);
            if (value.IsWhiteSpace())
            {
                if (spec.IsRequired)
                {
                    diagnostics.Add(Diagnostic.Error(row.Line(i), row.ColumnNumber(i), spec.Name, value.ToString(), "required value is empty"));
                }
                continue;
            }
            var problem = parse(i, spec, value);
            if (problem is null)
            {
                present[i] = true;
            }
            else
            {
                diagnostics.Add(Diagnostic.Error(row.Line(i), row.ColumnNumber(i), spec.Name, value.ToString(), problem));
            }
        }
    }
}
