namespace InferCost.Ledger;

/// <summary>The ledger cannot be used: not a DuckDB file, locked by another process, written by a newer
/// release, or absent. The message is one sentence meant for the user.</summary>
public sealed class LedgerException(string message, Exception? inner = null) : Exception(message, inner);
