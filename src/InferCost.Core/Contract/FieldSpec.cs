namespace InferCost.Core.Contract;

/// <summary>One column of the Trace Kit contract.</summary>
/// <param name="Name">The exact camelCase column name.</param>
/// <param name="Kind">How the value is parsed and checked.</param>
/// <param name="IsSeed">True for the playbook's 16 seed fields.</param>
/// <param name="IsRequired">True when a row must give a value (every seed field but <c>costUsd</c>).</param>
/// <param name="Unit">The unit, for the schema and the runbook ("ms", "USD", "tokens"…); empty when unitless.</param>
/// <param name="Description">What the field means; the seed's wording for seed fields.</param>
/// <param name="MinimumInteger">For <see cref="FieldKind.Integer"/>: the smallest valid value.</param>
public sealed record FieldSpec(
    string Name,
    FieldKind Kind,
    bool IsSeed,
    bool IsRequired,
    string Unit,
    string Description,
    long MinimumInteger = 0);
