namespace Impress.Fhir.Review;

/// <summary>The Mol-MDT's decision on a treatment proposal (ValueSet impress-review-decision).</summary>
public enum ReviewDecision
{
    Accepted,
    Declined,
}

/// <summary>Clinical benefit at week 16 (ValueSet impress-week16-outcome).</summary>
public enum Week16Outcome
{
    Benefit,
    NoBenefit,
}
