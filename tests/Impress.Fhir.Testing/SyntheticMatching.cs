using System.Globalization;
using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Matching.Catalog;
using Impress.Fhir.Matching.Patients;
using Impress.Fhir.Matching.Rules;

namespace Impress.Fhir.Testing;

/// <summary>
/// A catalog of any number of arms and a population of any number of TSO500-like patients, reproducible from a
/// seed, for measuring and cross-checking matching at scale. Arms follow the shapes of the example catalog (hotspot
/// mutations, amplifications, fusions, loss of function, bi-allelic loss, TMB/MSI, combinations), over the panel's
/// genes, with on-label exclusions; patients carry about 40 variants each, hotspots among them as often as a
/// screening population has them.
/// </summary>
public static class SyntheticMatching
{
    private static readonly string[] TumourTypes = ["C18", "C19", "C20", "C22.1", "C23", "C24", "C25", "C34", "C43", "C49", "C50", "C54", "C56", "C61", "C64", "C67", "C71", "C73", "C80"];
    private static readonly string[] AminoAcids = ["A", "R", "N", "D", "C", "Q", "E", "G", "H", "I", "L", "K", "M", "F", "P", "S", "T", "W", "Y", "V"];
    private static readonly (string Term, int Weight)[] Consequences =
    [
        ("missense_variant", 60), ("synonymous_variant", 15), ("frameshift_variant", 6), ("stop_gained", 6), ("splice_acceptor_variant", 2),
        ("splice_donor_variant", 2), ("intron_variant", 5), ("inframe_deletion", 2), ("3_prime_UTR_variant", 2),
    ];

    private static readonly Lazy<string[]> PanelGenes = new(ReadPanelGenes);

    public static CohortCatalog Catalog(int arms, int seed = 1)
    {
        var random = new Random(seed);
        var genes = PanelGenes.Value;
        var list = new List<Arm>();
        for (var i = 0; i < arms; i++)
        {
            var gene = genes[random.Next(genes.Length)];
            var id = $"arm-{i:D3}";
            Criterion biomarker = (i % 20) switch
            {
                < 8 => new VariantCriterion { Genes = [gene], Categories = [VariantKind.Snv, VariantKind.Mnv, VariantKind.Indel], Proteins = [Residue(random)] },
                < 11 => new VariantCriterion { Genes = [gene], Categories = [VariantKind.CopyNumberGain], MinFoldChange = 2m + random.Next(3) },
                < 14 => new VariantCriterion { Genes = [gene, genes[random.Next(genes.Length)]], Categories = [VariantKind.Fusion] },
                < 16 => new VariantCriterion { Genes = [gene], Consequences = [ConsequenceClasses.LossOfFunction] },
                16 => new BiallelicLossCriterion([gene, genes[random.Next(genes.Length)]]),
                17 => new AnyOf([new TmbCriterion(10 + random.Next(10)), new MsiCriterion(null)]),
                _ => new AnyOf([
                    new VariantCriterion { Genes = [gene], Categories = [VariantKind.CopyNumberGain], MinFoldChange = 2m },
                    new VariantCriterion { Genes = [gene], Categories = [VariantKind.Snv], Proteins = [Residue(random)] },
                    new VariantCriterion { Genes = [gene], Categories = [VariantKind.Fusion] }]),
            };
            var exclusions = Enumerable.Range(0, random.Next(3))
                .Select(_ => new Exclusion(new TumorTypeCriterion([TumourTypes[random.Next(TumourTypes.Length)]], []), "on-label use"))
                .ToList();
            var cohorts = Enumerable.Range(0, 1 + random.Next(3)).Select(c => new Cohort(
                $"{id}-{c}", id, $"{id} cohort {c}", "tumour type", [TumourTypes[random.Next(TumourTypes.Length)]], random.Next(10) > 0,
                new CohortAccounting(random.Next(9), 0, 0))).ToList();
            list.Add(new Arm(id, $"Synthetic arm {i}", "1", [new Drug($"drug {i}", null, null)],
                new ArmRule(1, biomarker, new AgeCriterion(18, null), exclusions), "{}", cohorts));
        }

        return new CohortCatalog("synthetic catalog", seed.ToString(CultureInfo.InvariantCulture), list);
    }

    public static IReadOnlyList<PatientProfile> Patients(int count, int variantsEach = 40, int seed = 2)
    {
        var random = new Random(seed);
        var genes = PanelGenes.Value;
        var patients = new PatientProfile[count];
        for (var p = 0; p < count; p++)
        {
            var variants = new List<VariantFeature>(variantsEach);
            for (var v = 0; v < variantsEach; v++)
            {
                var gene = genes[random.Next(genes.Length)];
                var evidence = $"Observation/p{p}-v{v}";
                var roll = random.Next(100);
                variants.Add(roll switch
                {
                    < 85 => SmallVariant(random, gene, evidence),
                    < 93 => new VariantFeature(evidence, $"{gene} amplification", [gene], VariantKind.CopyNumberGain, FoldChange: 1.5m + (random.Next(40) / 10m)),
                    < 96 => new VariantFeature(evidence, $"{gene} loss", [gene], VariantKind.CopyNumberLoss, CopyNumber: random.Next(2)),
                    _ => new VariantFeature(evidence, $"{gene} fusion", [genes[random.Next(genes.Length)], gene], VariantKind.Fusion),
                });
            }

            // The hotspots a screening population has: about one in ten with BRAF V600E, a few with ALK or NTRK fusions.
            if (random.Next(10) == 0)
            {
                variants[0] = new VariantFeature($"Observation/p{p}-braf", "BRAF p.V600E", ["BRAF"], VariantKind.Snv, new ProteinChange('V', 600, "V600E"), ["missense_variant"]);
            }

            patients[p] = new PatientProfile
            {
                Patient = $"Patient/p{p}",
                Report = $"DiagnosticReport/p{p}",
                Diagnosis = new Finding<string>(TumourTypes[random.Next(TumourTypes.Length)] + ".9", $"Condition/p{p}", "diagnosis"),
                AgeYears = new Finding<int>(30 + random.Next(55), $"Patient/p{p}", "age"),
                Tmb = new Finding<decimal>(Math.Round((decimal)Math.Exp(random.NextDouble() * 3.5), 1), $"Observation/p{p}-tmb", "TMB"),
                Msi = new Finding<MsiResult>(new MsiResult(random.Next(20) == 0, null), $"Observation/p{p}-msi", "MSI"),
                RnaSequenced = random.Next(5) > 0,
                Variants = variants,
            };
        }

        return patients;
    }

    private static VariantFeature SmallVariant(Random random, string gene, string evidence)
    {
        var consequence = Pick(random, Consequences);
        var position = 1 + random.Next(1500);
        var reference = AminoAcids[random.Next(AminoAcids.Length)];
        var change = consequence switch
        {
            "synonymous_variant" => $"{reference}{position}=",
            "frameshift_variant" => $"{reference}{position}{AminoAcids[random.Next(AminoAcids.Length)]}fs*{1 + random.Next(40)}",
            "stop_gained" => $"{reference}{position}*",
            "inframe_deletion" => $"{reference}{position}del",
            "missense_variant" => $"{reference}{position}{AminoAcids[random.Next(AminoAcids.Length)]}",
            _ => null,
        };
        var kind = consequence is "frameshift_variant" or "inframe_deletion" ? VariantKind.Indel : VariantKind.Snv;
        return new VariantFeature(evidence, $"{gene} {change}", [gene], kind, change is null ? null : new ProteinChange(reference[0], position, change), [consequence],
            AlleleFrequency: Math.Round((decimal)random.NextDouble(), 3));
    }

    private static ProteinPattern Residue(Random random)
    {
        var text = $"p.{AminoAcids[random.Next(AminoAcids.Length)]}{1 + random.Next(1500)}";
        ProteinPattern.TryParse(text, out var pattern);
        return pattern!;
    }

    private static string Pick(Random random, (string Term, int Weight)[] weighted)
    {
        var roll = random.Next(weighted.Sum(w => w.Weight));
        foreach (var (term, weight) in weighted)
        {
            if ((roll -= weight) < 0)
            {
                return term;
            }
        }

        return weighted[^1].Term;
    }

    private static string[] ReadPanelGenes()
    {
        var panel = (ValueSet)FhirJsonReader.Default.Read(File.ReadAllBytes(Path.Combine(RepositoryPaths.Profiles, "ValueSet-impress-tso500-genes.json"))).Resource;
        return (panel.Compose?.Include ?? []).SelectMany(i => i.Concept).Select(c => c.Display!.ToUpperInvariant()).ToArray();
    }
}
