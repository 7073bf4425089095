using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Matching.Catalog;
using Impress.Fhir.Matching.Evaluation;
using Impress.Fhir.Matching.Patients;
using Impress.Fhir.Profiles;

namespace Impress.Fhir.Matching.Proposals;

/// <summary>
/// Matching results as FHIR: a proposal is an impress-careplan (intent proposal, status draft) for the cohort, or for
/// the arm when no cohort exists for the tumour type yet, with the evidence as supportingInfo, the explanation as
/// narrative and as the match-explanation extension; every arm's outcome is a Parameters resource.
/// </summary>
public static class MatchResources
{
    public const string ProposalIdentifierSystem = ImpressProfiles.Canonical + "/sid/match-proposal";
    public const string MatchingCodeSystem = ImpressProfiles.Canonical + "/CodeSystem/impress-matching";
    private const string Atc = "http://www.whocc.no/atc";

    /// <summary>The identifier of the proposal of <paramref name="arm"/> for a patient: one per patient and arm, so a re-match updates it.</summary>
    public static Identifier ProposalIdentifier(string patient, string arm) => new(ProposalIdentifierSystem, $"{patient.Split('/')[^1]}|{arm}");

    public static CarePlan Proposal(ArmMatch match, PatientProfile profile, DateOnly created)
    {
        var arm = match.Arm;
        var plan = new CarePlan
        {
            Meta = new Meta { Profile = [ImpressProfiles.CarePlan] },
            Identifier = [ProposalIdentifier(profile.Patient, arm.Id)],
            Status = RequestStatus.Draft,
            Intent = CarePlan.CarePlanIntent.Proposal,
            Title = $"IMPRESS-Norway treatment proposal: {arm.Title}",
            Description = match.Summary + " For review by the Mol-MDT.",
            Subject = new ResourceReference(profile.Patient),
            Created = created.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Text = NarrativeText.Of(match.Summary, Lines(match.Explanation)),
        };
        if (profile.Diagnosis is { } diagnosis)
        {
            plan.Addresses.Add(new ResourceReference(diagnosis.Evidence) { Display = diagnosis.Display });
        }

        foreach (var evidence in match.SupportingEvidence.Where(e => e.Reference != profile.Diagnosis?.Evidence && e.Reference != profile.Patient))
        {
            plan.SupportingInfo.Add(new ResourceReference(evidence.Reference) { Display = evidence.Display });
        }

        if (profile.Report is { } report)
        {
            plan.SupportingInfo.Add(new ResourceReference(report) { Display = "genomic report" });
        }

        plan.Extension.Add(new Extension(ImpressProfiles.CohortExtension, new ResourceReference(match.CohortOrArmReference)
        {
            Display = match.Cohort?.Title ?? $"{arm.Title} (no cohort for this tumour type yet)",
        }));
        plan.Extension.Add(Explanation(match));
        foreach (var drug in arm.Drugs)
        {
            plan.Activity.Add(new CarePlan.ActivityComponent
            {
                Detail = new CarePlan.DetailComponent
                {
                    Kind = CarePlan.CarePlanActivityKind.MedicationRequest,
                    Status = CarePlan.CarePlanActivityStatus.NotStarted,
                    Product = drug.Atc is { } atc ? new CodeableConcept(Atc, atc, drug.Name, drug.Name) : new CodeableConcept { Text = drug.Name },
                    Description = drug.Dosing is { } dosing ? $"{drug.Name} {dosing}" : drug.Name,
                },
            });
        }

        return plan;
    }

    /// <summary>Every arm's outcome for one patient, best first, with the explanation as nested parts.</summary>
    public static Parameters Outcomes(IReadOnlyList<ArmMatch> matches, PatientProfile profile)
    {
        var parameters = new Parameters();
        parameters.Add("patient", new ResourceReference(profile.Patient));
        foreach (var match in matches)
        {
            var parts = new List<Parameters.ParameterComponent>
            {
                Part("arm", new ResourceReference(match.Arm.Reference) { Display = match.Arm.Title }),
                Part("rank", new Integer(match.Rank)),
                Part("result", new Code(ResultCode(match.Result))),
                Part("summary", new FhirString(match.Summary)),
            };
            if (match.Cohort is { } cohort && match.CohortState is { } state)
            {
                parts.Add(Part("cohort", new ResourceReference(cohort.Reference) { Display = cohort.Title }));
                parts.Add(Part("cohortStage", new Code(CatalogStudies.StageCode(state.Stage))));
                parts.Add(Part("cohortAvailability", new Code(state.Availability switch
                {
                    CohortAvailability.Open => "open",
                    CohortAvailability.AwaitingEvaluation => "awaiting-evaluation",
                    _ => "closed",
                })));
                if (state.OpenSlots is { } slots)
                {
                    parts.Add(Part("openSlots", new Integer(slots)));
                }
            }
            else if (match.Result != MatchResult.NotMatched)
            {
                parts.Add(Part("cohortAvailability", new Code("no-cohort")));
            }

            if (match.Exclusion is { } exclusion)
            {
                parts.Add(Part("exclusion", new FhirString(exclusion)));
            }

            parts.Add(Criterion(match.Explanation));
            parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "match", Part = parts });
        }

        return parameters;
    }

    public static string ResultCode(MatchResult result) => result switch
    {
        MatchResult.Matched => "matched",
        MatchResult.NeedsMoreData => "needs-more-data",
        _ => "not-matched",
    };

    public static string OutcomeCode(Outcome outcome) => outcome switch
    {
        Outcome.Met => "met",
        Outcome.NotMet => "not-met",
        _ => "unknown",
    };

    private static Extension Explanation(ArmMatch match)
    {
        var extension = new Extension { Url = ImpressProfiles.MatchExplanationExtension };
        extension.Extension.Add(new Extension("result", new Code(ResultCode(match.Result))));
        extension.Extension.Add(new Extension("summary", new FhirString(match.Summary)));
        foreach (var (path, node) in match.Explanation.DepthFirst())
        {
            var criterion = new Extension { Url = "criterion" };
            criterion.Extension.Add(new Extension("path", new FhirString(path)));
            criterion.Extension.Add(new Extension("description", new FhirString(node.Description)));
            criterion.Extension.Add(new Extension("outcome", new Code(OutcomeCode(node.Outcome))));
            foreach (var evidence in node.Evidence)
            {
                criterion.Extension.Add(new Extension("evidence", new ResourceReference(evidence.Reference) { Display = evidence.Display }));
            }

            if (node.Note is { } note)
            {
                criterion.Extension.Add(new Extension("note", new FhirString(note)));
            }

            extension.Extension.Add(criterion);
        }

        return extension;
    }

    private static Parameters.ParameterComponent Criterion(Explanation node)
    {
        var parts = new List<Parameters.ParameterComponent>
        {
            Part("description", new FhirString(node.Description)),
            Part("outcome", new Code(OutcomeCode(node.Outcome))),
        };
        parts.AddRange(node.Evidence.Select(e => Part("evidence", new ResourceReference(e.Reference) { Display = e.Display })));
        if (node.Note is { } note)
        {
            parts.Add(Part("note", new FhirString(note)));
        }

        parts.AddRange(node.Parts.Select(Criterion));
        return new Parameters.ParameterComponent { Name = "criterion", Part = parts };
    }

    /// <summary>The explanation as nested list lines: "met: BRAF p.V600 (any amino acid change) — BRAF p.V600E".</summary>
    public static IEnumerable<(int Depth, string Text)> Lines(Explanation root) =>
        root.Parts.SelectMany(part => part.DepthFirst().Select(n => (n.Path.Count(c => c == '.'), Line(n.Node))));

    public static string Line(Explanation node)
    {
        // An exclusion is met when it applies: said so, since "met" would read as good news.
        var text = node.Description.StartsWith(Evaluation.Explanation.ExclusionPrefix, StringComparison.Ordinal)
            ? $"{node.Outcome switch { Outcome.Met => "applies", Outcome.NotMet => "does not apply", _ => "unknown" }}: {node.Description}"
            : $"{OutcomeCode(node.Outcome)}: {node.Description}";
        if (node.Evidence.Count > 0)
        {
            text += " — " + string.Join("; ", node.Evidence.Select(e => e.Display));
        }

        return node.Note is { } note ? $"{text} ({note.TrimEnd('.')})" : text;
    }

    private static Parameters.ParameterComponent Part(string name, DataType value) => new() { Name = name, Value = value };
}
