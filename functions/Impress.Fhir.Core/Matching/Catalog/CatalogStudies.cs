using System.Text;
using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Matching.Rules;
using Impress.Fhir.Profiles;

namespace Impress.Fhir.Matching.Catalog;

/// <summary>
/// The catalog as FHIR: one impress-arm ResearchStudy per arm (its rule, as JSON, in the cohort-rule extension) and
/// one impress-cohort ResearchStudy per cohort, partOf its arm, with its two-stage accounting.
/// </summary>
public static class CatalogStudies
{
    public const string ArmIdSystem = ImpressProfiles.Canonical + "/sid/arm-id";
    public const string CohortIdSystem = ImpressProfiles.Canonical + "/sid/cohort-id";
    public const string ParentStudy = "ResearchStudy/impress-norway";
    public const string CohortRuleExtension = ImpressProfiles.StructureDefinitionBase + "cohort-rule";
    public const string CohortStageExtension = ImpressProfiles.StructureDefinitionBase + "cohort-stage";
    public const string CohortAccountingExtension = ImpressProfiles.StructureDefinitionBase + "cohort-accounting";
    private const string Atc = "http://www.whocc.no/atc";

    public static IReadOnlyList<ResearchStudy> ToStudies(CohortCatalog catalog)
    {
        var studies = new List<ResearchStudy>();
        foreach (var arm in catalog.Arms)
        {
            studies.Add(ArmStudy(arm, catalog));
            studies.AddRange(arm.Cohorts.Select(c => CohortStudy(c, arm, catalog)));
        }

        return studies;
    }

    /// <summary>Reads the arms and cohorts among <paramref name="studies"/> (each with the reference it is known by); other studies are ignored.</summary>
    public static CohortCatalog FromStudies(IEnumerable<(string Reference, ResearchStudy Study)> studies, string name = "stored catalog", string version = "")
    {
        var list = studies.ToList();
        var cohortsByArm = list.Where(s => IdOf(s.Study, CohortIdSystem) is not null)
            .GroupBy(s => s.Study.PartOf.FirstOrDefault()?.Reference ?? "", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var arms = new List<Arm>();
        foreach (var (reference, study) in list.Where(s => IdOf(s.Study, ArmIdSystem) is not null && s.Study.Status == ResearchStudy.ResearchStudyStatus.Active))
        {
            var id = IdOf(study, ArmIdSystem)!;
            var attachment = study.GetExtensionValue<Attachment>(CohortRuleExtension)
                ?? throw new CatalogFormatException($"{reference} (arm {id}) carries no rule (extension cohort-rule).");
            var json = attachment.Data is { Length: > 0 } data ? Encoding.UTF8.GetString(data) : throw new CatalogFormatException($"{reference} (arm {id}): the rule attachment has no data.");
            ArmRule rule;
            try
            {
                rule = RuleReader.Read(json);
            }
            catch (RuleFormatException e)
            {
                throw new CatalogFormatException($"{reference} (arm {id}): rule {e.JsonPath}: {e.Problem}", e);
            }

            var drugs = study.Focus.Select(f => new Drug(f.Text ?? f.Coding.FirstOrDefault()?.Display ?? "drug", f.Coding.FirstOrDefault(c => c.System == Atc)?.Code, null)).ToList();
            var cohorts = cohortsByArm.GetValueOrDefault(reference, []).Select(c => Cohort(c.Reference, c.Study, id)).ToList();
            arms.Add(new Arm(id, study.Title ?? id, RuleVersionOf(attachment), drugs, rule, json, cohorts) { Reference = reference, Biomarker = study.Keyword.FirstOrDefault()?.Text });
        }

        return new CohortCatalog(name, version, arms.OrderBy(a => a.Id, StringComparer.Ordinal).ToList());
    }

    public static bool IsArm(ResearchStudy study) => IdOf(study, ArmIdSystem) is not null;

    public static bool IsCohort(ResearchStudy study) => IdOf(study, CohortIdSystem) is not null;

    private static ResearchStudy ArmStudy(Arm arm, CohortCatalog catalog)
    {
        var study = new ResearchStudy
        {
            Id = "arm-" + arm.Id,
            Meta = Meta(ImpressProfiles.Arm, catalog),
            Text = NarrativeText.Of($"{arm.Title}{(arm.Biomarker is { } b ? $": {b}" : "")}.{(catalog.IsExample ? " (Example catalog, not the trial protocol.)" : "")}"),
            Identifier = [new Identifier(ArmIdSystem, arm.Id)],
            Title = arm.Title,
            PartOf = [new ResourceReference(ParentStudy) { Display = "IMPRESS-Norway" }],
            Status = ResearchStudy.ResearchStudyStatus.Active,
            Focus = arm.Drugs.Select(d => d.Atc is { } atc ? new CodeableConcept(Atc, atc, d.Name, d.Name) : new CodeableConcept { Text = d.Name }).ToList(),
            Keyword = arm.Biomarker is { } biomarker ? [new CodeableConcept { Text = biomarker }] : [],
            Description = $"{arm.Title}. {(catalog.IsExample ? "Part of the example catalog shipped with Impress.Fhir (realistic, not the trial protocol; the trial office maintains the real one)." : $"{catalog.Name} {catalog.Version}.")}",
            Arm = [new ResearchStudy.ArmComponent { Name = arm.Id, Description = ArmDescription(arm) }],
        };
        study.Extension.Add(new Extension(CohortRuleExtension, new Attachment
        {
            ContentType = "application/json",
            Data = Encoding.UTF8.GetBytes(arm.RuleJson),
            Title = $"Rule {arm.RuleVersion} of arm {arm.Id} ({RuleReader.LanguageV1})",
        }));
        return study;
    }

    private static ResearchStudy CohortStudy(Cohort cohort, Arm arm, CohortCatalog catalog)
    {
        var study = new ResearchStudy
        {
            Id = "cohort-" + cohort.Id.ToLowerInvariant(),
            Meta = Meta(ImpressProfiles.Cohort, catalog),
            Identifier = [new Identifier(CohortIdSystem, cohort.Id)],
            Title = cohort.Title,
            PartOf = [new ResourceReference(arm.Reference) { Display = arm.Title }],
            Status = cohort.IsActive ? ResearchStudy.ResearchStudyStatus.Active : ResearchStudy.ResearchStudyStatus.ClosedToAccrual,
            Condition = [new CodeableConcept { Coding = cohort.Icd10.Select(c => new Coding("http://hl7.org/fhir/sid/icd-10", c)).ToList(), Text = cohort.TumorType }],
            Keyword = arm.Biomarker is { } biomarker ? [new CodeableConcept { Text = biomarker }] : [],
            Arm = [new ResearchStudy.ArmComponent { Name = arm.Id, Description = ArmDescription(arm) }],
        };
        SetAccounting(study, cohort.Accounting);
        return study;
    }

    /// <summary>The two-stage accounting a cohort study carries (zeros when it carries none).</summary>
    public static CohortAccounting AccountingOf(ResearchStudy study)
    {
        var accounting = study.GetExtension(CohortAccountingExtension);
        int Count(string url) => accounting?.GetExtensionValue<UnsignedInt>(url)?.Value ?? 0;
        return new CohortAccounting(Count("enrolled"), Count("evaluated"), Count("benefit"));
    }

    /// <summary>
    /// Records new accounting on a cohort study, and what follows from it by the two-stage rule: the stage, the
    /// narrative, and closing the study to accrual once the rule closes the cohort.
    /// </summary>
    public static void SetAccounting(ResearchStudy study, CohortAccounting accounting)
    {
        var state = TwoStageDesign.Evaluate(accounting);
        study.RemoveExtension(CohortStageExtension);
        study.RemoveExtension(CohortAccountingExtension);
        study.Extension.Add(new Extension(CohortStageExtension, new Code(StageCode(state.Stage))));
        var extension = new Extension { Url = CohortAccountingExtension };
        extension.Extension.Add(new Extension("enrolled", new UnsignedInt(accounting.Enrolled)));
        extension.Extension.Add(new Extension("evaluated", new UnsignedInt(accounting.Evaluated)));
        extension.Extension.Add(new Extension("benefit", new UnsignedInt(accounting.Benefit)));
        study.Extension.Add(extension);
        if (state.Stage == CohortStage.Closed && study.Status == ResearchStudy.ResearchStudyStatus.Active)
        {
            study.Status = ResearchStudy.ResearchStudyStatus.ClosedToAccrual;
        }

        var stage = state.Stage switch { CohortStage.StageOne => "stage 1", CohortStage.StageTwo => "stage 2", CohortStage.Expansion => "expansion", _ => "closed" };
        study.Text = NarrativeText.Of($"{study.Title}: {stage}, {accounting.Enrolled} enrolled, {accounting.Benefit} of {accounting.Evaluated} evaluated with benefit.");
    }

    private static Cohort Cohort(string reference, ResearchStudy study, string armId)
    {
        var condition = study.Condition.FirstOrDefault();
        return new Cohort(
            IdOf(study, CohortIdSystem)!,
            armId,
            study.Title ?? IdOf(study, CohortIdSystem)!,
            condition?.Text ?? string.Join(", ", condition?.Coding.Select(c => c.Code) ?? []),
            study.Condition.SelectMany(c => c.Coding).Where(c => c.Code is not null).Select(c => c.Code!).ToList(),
            study.Status == ResearchStudy.ResearchStudyStatus.Active,
            AccountingOf(study))
        { Reference = reference };
    }

    public static string StageCode(CohortStage stage) => stage switch
    {
        CohortStage.StageOne => "stage-1",
        CohortStage.StageTwo => "stage-2",
        CohortStage.Expansion => "expansion",
        _ => "closed",
    };

    private static string ArmDescription(Arm arm) =>
        string.Join("; ", arm.Drugs.Select(d => d.Dosing is { } dosing ? $"{d.Name}: {dosing}" : d.Name));

    private static Meta Meta(string profile, CohortCatalog catalog)
    {
        var meta = new Meta { Profile = [profile] };
        if (catalog.IsExample)
        {
            meta.Tag.Add(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "HTEST", "test health data"));
        }

        return meta;
    }

    private static string RuleVersionOf(Attachment attachment) =>
        attachment.Title is { } title && title.StartsWith("Rule ", StringComparison.Ordinal) ? title[5..].Split(' ')[0] : "1";

    private static string? IdOf(ResearchStudy study, string system) => study.Identifier.FirstOrDefault(i => i.System == system)?.Value;
}
