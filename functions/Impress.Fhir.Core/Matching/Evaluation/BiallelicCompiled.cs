using Impress.Fhir.Matching.Rules;

namespace Impress.Fhir.Matching.Evaluation;

/// <summary>
/// Bi-allelic loss of a gene: a homozygous deletion; or two loss-of-function variants; or one and a loss of the
/// other copy (a copy number loss, or an exon-level deletion besides a small variant). One hit alone is not met.
/// </summary>
internal sealed class BiallelicCompiled : CompiledCriterion
{
    private readonly BiallelicLossCriterion _criterion;
    private readonly int[] _genes;

    public BiallelicCompiled(BiallelicLossCriterion criterion, GeneIndex index)
        : base(criterion)
    {
        _criterion = criterion;
        _genes = criterion.Genes.Select(index.Add).ToArray();
    }

    public override Outcome Evaluate(PreparedPatient patient)
    {
        foreach (var gene in _genes)
        {
            if (patient.HasGene(gene) && Assess(patient, gene).Met)
            {
                return Outcome.Met;
            }
        }

        return patient.Profile.DnaSequenced ? Outcome.NotMet : Outcome.Unknown;
    }

    public override Explanation Explain(PreparedPatient patient)
    {
        var notes = new List<string>();
        var evidence = new List<Evidence>();
        for (var i = 0; i < _genes.Length; i++)
        {
            var gene = _genes[i];
            var assessment = patient.HasGene(gene) ? Assess(patient, gene) : default;
            var hits = assessment.Evidence ?? [];
            if (assessment.Met)
            {
                return Explanation.Leaf(Description, Outcome.Met, hits, $"{_criterion.Genes[i]}: {assessment.How}.");
            }

            evidence.AddRange(hits);
            if (hits.Count > 0)
            {
                notes.Add($"{_criterion.Genes[i]}: {assessment.How}");
            }
        }

        if (!patient.Profile.DnaSequenced)
        {
            return Explanation.Leaf(Description, Outcome.Unknown, evidence, "DNA was not sequenced: this cannot be ruled out.");
        }

        return Explanation.Leaf(Description, Outcome.NotMet, evidence,
            notes.Count > 0 ? string.Join("; ", notes) + "." : $"No loss-of-function variant or loss of {RuleText.Or(_criterion.Genes)} is reported.");
    }

    private static (bool Met, string How, List<Evidence> Evidence) Assess(PreparedPatient patient, int gene)
    {
        var hits = new List<Evidence>();
        var losses = new List<Evidence>();
        Evidence? homozygous = null;
        foreach (var v in patient.VariantsOf(gene))
        {
            var variant = patient.Profile.Variants[v];
            var evidence = new Evidence(variant.Evidence, variant.Display);
            if (variant.IsHomozygousDeletion)
            {
                homozygous = evidence;
            }
            else if (variant.IsSingleCopyLoss)
            {
                losses.Add(evidence);
            }
            else if (variant.IsLossOfFunction)
            {
                // An exon-level deletion inactivates one copy, as a truncating variant does.
                (variant.Kind == VariantKind.LargeRearrangement ? losses : hits).Add(evidence);
            }
        }

        if (homozygous is { } deletion)
        {
            return (true, "homozygous deletion", [deletion]);
        }

        if (hits.Count >= 2)
        {
            return (true, "two loss-of-function variants", hits);
        }

        if (hits.Count == 1 && losses.Count > 0)
        {
            return (true, "a loss-of-function variant and a loss of the other copy", [.. hits, .. losses]);
        }

        return (false, hits.Count == 1 ? "one loss-of-function variant, no second hit or loss of the other copy reported"
            : losses.Count == 1 ? "a loss of one copy, no loss-of-function variant in the other" : "no loss-of-function variant", [.. hits, .. losses]);
    }
}
