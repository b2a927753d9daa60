namespace InferCost.Core.Events;

/// <summary>An evaluator's or reviewer's verdict on one request's output.</summary>
public sealed record Judgement(string RequestId, bool Accepted, double? ReviewMinutes);
