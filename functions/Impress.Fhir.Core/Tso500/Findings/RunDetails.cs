namespace Impress.Fhir.Tso500.Findings;

/// <summary>[Analysis Details] and [Sequencing Run Details]: which sample pair, pipeline and run the results come from.</summary>
public sealed record RunDetails(
    string? PairId,
    string? DnaSampleId,
    string? RnaSampleId,
    string? PipelineVersion,
    DateTimeOffset? OutputTime,
    string? RunName,
    DateOnly? RunDate,
    string? Instrument)
{
    public bool IsEmpty => PairId is null && DnaSampleId is null && RnaSampleId is null && PipelineVersion is null && RunName is null && RunDate is null && Instrument is null;
}
