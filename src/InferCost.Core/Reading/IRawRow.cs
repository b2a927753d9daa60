namespace InferCost.Core.Reading;

/// <summary>One input row as text, addressed by contract field index (see <c>TraceContract.Fields</c>),
/// whatever the file format. Values are valid until the reader moves on.</summary>
internal interface IRawRow
{
    /// <summary>The line the row starts on.</summary>
    long RowLine { get; }

    /// <summary>True when the input carries this field for this row (the value may still be empty).</summary>
    bool Has(int field);

    ReadOnlySpan<char> Value(int field);

    long Line(int field);

    /// <summary>The 1-based CSV column, or null for JSON input.</summary>
    int? ColumnNumber(int field);
}
