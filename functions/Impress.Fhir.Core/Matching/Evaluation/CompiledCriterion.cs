using Impress.Fhir.Matching.Rules;

namespace Impress.Fhir.Matching.Evaluation;

/// <summary>
/// A criterion ready to evaluate: <see cref="Evaluate"/> decides it as cheaply as it can (a re-match runs it
/// millions of times); <see cref="Explain"/> decides it the same way and says why, with the evidence.
/// </summary>
internal abstract class CompiledCriterion(Criterion source)
{
    public string Description { get; } = RuleText.Describe(source);

    public abstract Outcome Evaluate(PreparedPatient patient);

    public abstract Explanation Explain(PreparedPatient patient);

    public static CompiledCriterion Compile(Criterion criterion, GeneIndex genes) => criterion switch
    {
        AllOf all => new AllCompiled(all, all.Parts.Select(p => Compile(p, genes)).ToArray()),
        AnyOf any => new AnyCompiled(any, any.Parts.Select(p => Compile(p, genes)).ToArray()),
        Not not => new NotCompiled(not, Compile(not.Part, genes)),
        VariantCriterion variant => new VariantCompiled(variant, genes),
        BiallelicLossCriterion biallelic => new BiallelicCompiled(biallelic, genes),
        TmbCriterion or MsiCriterion or GisCriterion or TumorTypeCriterion or AgeCriterion or EcogCriterion => new ClinicalCompiled(criterion),
        _ => throw new ArgumentException($"No evaluation for {criterion.GetType().Name}.", nameof(criterion)),
    };
}

internal sealed class AllCompiled(Criterion source, CompiledCriterion[] parts) : CompiledCriterion(source)
{
    public override Outcome Evaluate(PreparedPatient patient)
    {
        var outcome = Outcome.Met;
        foreach (var part in parts)
        {
            var partOutcome = part.Evaluate(patient);
            if (partOutcome == Outcome.NotMet)
            {
                return Outcome.NotMet;
            }

            if (partOutcome == Outcome.Unknown)
            {
                outcome = Outcome.Unknown;
            }
        }

        return outcome;
    }

    public override Explanation Explain(PreparedPatient patient)
    {
        var children = parts.Select(p => p.Explain(patient)).ToList();
        var outcome = children.Any(c => c.Outcome == Outcome.NotMet) ? Outcome.NotMet : children.Any(c => c.Outcome == Outcome.Unknown) ? Outcome.Unknown : Outcome.Met;
        return new Explanation(Description, outcome, [], null, children);
    }
}

internal sealed class AnyCompiled(Criterion source, CompiledCriterion[] parts) : CompiledCriterion(source)
{
    public override Outcome Evaluate(PreparedPatient patient)
    {
        var outcome = Outcome.NotMet;
        foreach (var part in parts)
        {
            var partOutcome = part.Evaluate(patient);
            if (partOutcome == Outcome.Met)
            {
                return Outcome.Met;
            }

            if (partOutcome == Outcome.Unknown)
            {
                outcome = Outcome.Unknown;
            }
        }

        return outcome;
    }

    public override Explanation Explain(PreparedPatient patient)
    {
        var children = parts.Select(p => p.Explain(patient)).ToList();
        var outcome = children.Any(c => c.Outcome == Outcome.Met) ? Outcome.Met : children.Any(c => c.Outcome == Outcome.Unknown) ? Outcome.Unknown : Outcome.NotMet;
        return new Explanation(Description, outcome, [], null, children);
    }
}

internal sealed class NotCompiled(Criterion source, CompiledCriterion part) : CompiledCriterion(source)
{
    public override Outcome Evaluate(PreparedPatient patient) => Invert(part.Evaluate(patient));

    public override Explanation Explain(PreparedPatient patient)
    {
        var inner = part.Explain(patient);
        return new Explanation(Description, Invert(inner.Outcome), inner.Evidence, inner.Note, inner.Parts);
    }

    private static Outcome Invert(Outcome outcome) => outcome switch
    {
        Outcome.Met => Outcome.NotMet,
        Outcome.NotMet => Outcome.Met,
        _ => Outcome.Unknown,
    };
}
