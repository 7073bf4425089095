namespace Impress.Fhir.Export.Anonymization;

/// <summary>The settings of a perturb rule: noise drawn uniformly from [-span/2, span/2] (times the value if proportional).</summary>
/// <param name="Span">The width of the noise range; not negative.</param>
/// <param name="RangeType">Whether <paramref name="Span"/> is an amount or a fraction of the value.</param>
/// <param name="RoundTo">Decimal places to round to (0 to 28); by default 0 for integers and 2 for decimals.</param>
public sealed record PerturbSettings(decimal Span, PerturbRangeType RangeType, int? RoundTo);
