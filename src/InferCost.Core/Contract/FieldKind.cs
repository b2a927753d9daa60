namespace InferCost.Core.Contract;

/// <summary>How a contract field's text is parsed and which range checks apply.</summary>
public enum FieldKind
{
    /// <summary>Free text, kept as given (trimmed).</summary>
    Text,
    /// <summary>One of the five routes, or an alias of one.</summary>
    Route,
    /// <summary>A whole number ≥ the field's minimum.</summary>
    Integer,
    /// <summary>A finite number ≥ 0 (tokens, milliseconds, dollars, minutes).</summary>
    NonNegative,
    /// <summary>A finite number in [0, 1].</summary>
    Rate,
    /// <summary>true/false/1/0/yes/no, any case.</summary>
    Boolean,
    /// <summary>An ISO 8601 timestamp.</summary>
    Timestamp,
}
