namespace Impress.Fhir.Matching.Evaluation;

/// <summary>
/// The outcome of a criterion in three values: missing data is unknown, not no. All: any not-met is not-met, else
/// any unknown is unknown. Any: any met is met, else any unknown is unknown. Not: swaps met and not-met.
/// </summary>
public enum Outcome : byte
{
    NotMet,
    Unknown,
    Met,
}

/// <summary>The outcome of matching a patient to an arm.</summary>
public enum MatchResult
{
    Matched,
    NeedsMoreData,
    NotMatched,
}
