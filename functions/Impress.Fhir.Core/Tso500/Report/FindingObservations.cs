using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Genomics;
using Impress.Fhir.Profiles;
using Impress.Fhir.Tso500.Findings;
using static Impress.Fhir.Tso500.Report.ObservationParts;

namespace Impress.Fhir.Tso500.Report;

/// <summary>The Observation (and, for a small variant, the MolecularSequence) each kind of TSO500 result becomes.</summary>
internal sealed class FindingObservations(ReportContext context)
{
    private const string Interpretation = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

    public Observation SmallVariant(SmallVariant variant, string? sequenceUrl)
    {
        var observation = Variant(variant.Gene is { } g ? [g] : []);
        var (category, categoryDisplay) = variant.ChangeType switch
        {
            SequenceOntology.SingleNucleotideVariant => ("snv", "Single nucleotide variant"),
            SequenceOntology.MultipleNucleotideVariant => ("mnv", "Multiple nucleotide variant"),
            _ => ("indel", "Insertion/deletion"),
        };
        var parts = observation.Component;
        parts.Add(Category(category, categoryDisplay));
        if (variant.CodingHgvs is { } coding)
        {
            parts.Add(Loinc(Codes.CodingHgvs, "DNA change (c.HGVS)", Concept.Coded(HgvsSystem, coding)));
        }

        if (variant.ProteinHgvs is { } protein)
        {
            parts.Add(Loinc(Codes.ProteinHgvs, "Amino acid change (pHGVS)", Concept.Coded(HgvsSystem, protein)));
        }

        if (variant.Transcript is { } transcript)
        {
            parts.Add(Loinc("51958-7", "Transcript reference sequence [ID]", Concept.Coded(RefSeq, transcript)));
        }

        parts.Add(Loinc("48019-4", "DNA change type", new CodeableConcept { Coding = [SequenceOntology.CodingOf(variant.ChangeType)] }));
        parts.AddRange(variant.Consequences.Select(Consequence));
        parts.Add(Somatic());
        parts.Add(ObservationParts.Chromosome(variant.Chromosome));
        parts.Add(OneBasedCoordinates());
        parts.Add(StartEnd(variant.Position, variant.End));
        parts.Add(Loinc("69547-8", "Genomic ref allele [ID]", new FhirString(variant.ReferenceAllele)));
        parts.Add(Loinc("69551-0", "Genomic alt allele [ID]", new FhirString(variant.AlternativeAllele)));
        if (variant.AlleleFrequency is { } frequency)
        {
            parts.Add(Loinc(Codes.AlleleFrequency, "Sample variant allelic frequency [NFr]", Ucum(frequency, "1")));
        }

        if (variant.Depth is { } depth)
        {
            parts.Add(Loinc("82121-5", "Allelic read depth", new Integer(depth)));
        }

        if (variant.Exons is { } exons)
        {
            parts.Add(Exons(exons));
        }

        if (sequenceUrl is not null)
        {
            observation.DerivedFrom.Add(new ResourceReference(sequenceUrl));
        }

        var change = string.Join(" ", new[] { variant.Gene, variant.CodingHgvs, variant.ProteinHgvs }.OfType<string>());
        var facts = new List<string> { change.Length > 0 ? change : $"{variant.Chromosome}:{variant.Position} {variant.ReferenceAllele}>{variant.AlternativeAllele}" };
        if (variant.Consequences.Count > 0)
        {
            facts.Add(string.Join(", ", variant.Consequences).Replace('_', ' '));
        }

        if (variant.AlleleFrequency is { } af)
        {
            facts.Add($"VAF {Format(af * 100)} %");
        }

        if (variant.Depth is { } reads)
        {
            facts.Add($"depth {reads}");
        }

        observation.Text = NarrativeText.Of(string.Join("; ", facts) + ".");
        return observation;
    }

    public MolecularSequence Sequence(SmallVariant variant) => new()
    {
        Meta = new Meta { Profile = [ImpressProfiles.MolecularSequence] },
        Text = NarrativeText.Of($"DNA, {context.Options.GenomeBuild} {variant.Chromosome}:{variant.Position} {variant.ReferenceAllele}>{variant.AlternativeAllele}."),
        Type = MolecularSequence.SequenceType.Dna,
        CoordinateSystem = 1,
        Patient = new ResourceReference(context.PatientUrl),
        Specimen = new ResourceReference(context.SpecimenUrl),
        ReferenceSeq = new MolecularSequence.ReferenceSeqComponent
        {
            Chromosome = variant.Chromosome.ToChromosomeHumanConcept(),
            GenomeBuild = context.Options.GenomeBuild,
            WindowStart = (int)variant.Position,
            WindowEnd = (int)variant.End,
        },
        Variant = [new MolecularSequence.VariantComponent
        {
            Start = (int)variant.Position,
            End = (int)variant.End,
            ReferenceAllele = variant.ReferenceAllele,
            ObservedAllele = variant.AlternativeAllele,
        }],
    };

    public Observation CopyNumber(CopyNumberChange change)
    {
        var observation = Variant([change.Gene]);
        var gain = change.Direction == CopyNumberDirection.Gain;
        var name = change.Section == CvoSections.GeneAmplifications ? $"{change.Gene} amplification" : $"{change.Gene} copy number {(gain ? "gain" : "loss")}";
        observation.Component.Add(gain ? Category("copy-number-gain", "Copy number gain") : Category("copy-number-loss", "Copy number loss"));
        observation.Component.Add(VariationCode(name));
        observation.Component.Add(Consequence(SequenceOntology.CodingOf(gain ? SequenceOntology.CopyNumberGain : SequenceOntology.CopyNumberLoss)));
        observation.Component.Add(Somatic());
        if (change.Chromosome is { } chromosome)
        {
            observation.Component.Add(ObservationParts.Chromosome(chromosome));
        }

        if (change.FoldChange is { } fold)
        {
            observation.Component.Add(FoldChange(fold));
        }

        if (change.AbsoluteCopyNumber is { } copies)
        {
            observation.Component.Add(ObservationParts.CopyNumber(copies));
        }

        observation.Text = NarrativeText.Of(name
            + (change.FoldChange is { } f ? $", fold change {Format(f)}" : "")
            + (change.AbsoluteCopyNumber is { } c ? $", {Format(c)} copies" : "") + ".");
        return observation;
    }

    public Observation Splice(SpliceVariant splice)
    {
        var observation = Variant([splice.Gene]);
        observation.Component.Add(Category("splice-variant", "Splice variant"));
        observation.Component.Add(VariationCode(splice.Name));
        observation.Component.Add(Consequence(SequenceOntology.CodingOf(SequenceOntology.ExonLossVariant)));
        observation.Component.Add(Somatic());
        observation.Component.Add(Exons(splice.Exons));
        AddBreakpoints(observation, splice.FirstBreakpoint, splice.SecondBreakpoint);
        if (splice.SupportingReads is { } reads)
        {
            observation.Component.Add(SupportingReads(reads));
        }

        if (splice.ReferenceReads is { } reference)
        {
            observation.Component.Add(ReferenceReads(reference));
        }

        observation.Text = NarrativeText.Of(splice.Name + (splice.SupportingReads is { } r ? $", {r} supporting reads" : "") + ".");
        return observation;
    }

    public Observation Fusion(Fusion fusion)
    {
        var observation = Variant(fusion.Genes.Distinct(StringComparer.OrdinalIgnoreCase));
        observation.Component.Add(Category("fusion", "Gene fusion"));
        observation.Component.Add(VariationCode(fusion.GenePair));
        observation.Component.Add(Consequence(SequenceOntology.CodingOf(SequenceOntology.TranscriptFusion)));
        observation.Component.Add(Somatic());
        AddBreakpoints(observation, fusion.FirstBreakpoint, fusion.SecondBreakpoint);
        if (fusion.SupportingReads is { } reads)
        {
            observation.Component.Add(SupportingReads(reads));
        }

        // One per partner, in breakpoint order; with only one of the two, which partner it counts would be lost.
        if (fusion is { FirstGeneReferenceReads: { } first, SecondGeneReferenceReads: { } second })
        {
            observation.Component.Add(ReferenceReads(first));
            observation.Component.Add(ReferenceReads(second));
        }

        var partners = fusion.FivePrimeGenes.Count > 1 || fusion.ThreePrimeGenes.Count > 1
            ? $" ({string.Join(" or ", fusion.FivePrimeGenes)} joined to {string.Join(" or ", fusion.ThreePrimeGenes)})"
            : "";
        observation.Text = NarrativeText.Of($"{fusion.GenePair} fusion{partners}" + (fusion.SupportingReads is { } r ? $", {r} supporting reads" : "") + ".");
        return observation;
    }

    public Observation Rearrangement(LargeRearrangement rearrangement)
    {
        var observation = Variant([rearrangement.Gene]);
        var gain = rearrangement.Direction == CopyNumberDirection.Gain;
        var name = $"{rearrangement.Gene}{(rearrangement.Exons is { } e ? $" exon {e}" : "")} {(gain ? "duplication" : "deletion")}";
        observation.Component.Add(Category("large-rearrangement", "Large rearrangement"));
        observation.Component.Add(VariationCode(name));
        observation.Component.Add(Consequence(SequenceOntology.CodingOf(gain ? SequenceOntology.CopyNumberGain : SequenceOntology.CopyNumberLoss)));
        observation.Component.Add(Somatic());
        if (rearrangement.Chromosome is { } chromosome)
        {
            observation.Component.Add(ObservationParts.Chromosome(chromosome));
        }

        if (rearrangement is { Start: { } start, End: { } end })
        {
            observation.Component.Add(OneBasedCoordinates());
            observation.Component.Add(StartEnd(start, end));
        }

        if (rearrangement.FoldChange is { } fold)
        {
            observation.Component.Add(FoldChange(fold));
        }

        if (rearrangement.Exons is { } exons)
        {
            observation.Component.Add(Exons(exons));
        }

        observation.Text = NarrativeText.Of(name + (rearrangement.FoldChange is { } f ? $", fold change {Format(f)}" : "") + ".");
        return observation;
    }

    public Observation Tmb(TumorMutationalBurden tmb)
    {
        var high = tmb.MutationsPerMegabase >= context.Options.TmbHighThreshold;
        var observation = Biomarker(ImpressProfiles.Tmb, Concept.Coded(Codes.Loinc, Codes.Tmb, "Mutations/Megabase [# Ratio] in Tumor"));
        observation.Value = Ucum(tmb.MutationsPerMegabase, "1/1000000{Base}", "mutations per megabase");
        observation.Interpretation.Add(high ? Concept.Coded(Interpretation, "H", "High") : Concept.Coded(Interpretation, "L", "Low"));
        if (tmb.CodingRegionMegabases is { } region)
        {
            observation.Component.Add(ImpressCode("coding-region-size", "Coding region size", Ucum(region, "10*6{Base}", "Mb")));
        }

        if (tmb.EligibleVariants is { } eligible)
        {
            observation.Component.Add(ImpressCode("eligible-variants", "Eligible variants", new Integer(eligible)));
        }

        observation.Text = NarrativeText.Of($"Tumour mutational burden {Format(tmb.MutationsPerMegabase)} mutations per megabase: TMB-{(high ? "high" : "low")} (threshold {Format(context.Options.TmbHighThreshold)}).");
        return observation;
    }

    public Observation Msi(MicrosatelliteInstability msi)
    {
        var high = msi.PercentUnstable >= context.Options.MsiHighThreshold;
        var observation = Biomarker(ImpressProfiles.Msi, Concept.Coded(Codes.Loinc, Codes.Msi, "Microsatellite instability [Interpretation] in Cancer specimen Qualitative"));
        observation.Value = high ? Concept.Coded(Codes.Loinc, "LA26203-2", "MSI-H") : Concept.Coded(Codes.Loinc, "LA14122-8", "Stable");
        observation.Component.Add(ImpressCode("unstable-sites-percent", "Unstable MSI sites (%)", Ucum(msi.PercentUnstable, "%", "%")));
        if (msi.UsableSites is { } usable)
        {
            observation.Component.Add(ImpressCode("usable-msi-sites", "Usable MSI sites", new Integer(usable)));
        }

        if (msi.UnstableSites is { } unstable)
        {
            observation.Component.Add(ImpressCode("unstable-msi-sites", "Unstable MSI sites", new Integer(unstable)));
        }

        var sites = msi is { UsableSites: { } u, UnstableSites: { } s } ? $"{s} of {u} usable sites unstable ({Format(msi.PercentUnstable)} %)" : $"{Format(msi.PercentUnstable)} % of sites unstable";
        observation.Text = NarrativeText.Of($"{(high ? "Microsatellite instability high (MSI-H)" : "Microsatellite stable")}: {sites}.");
        return observation;
    }

    public Observation Gis(GenomicInstability gis)
    {
        var positive = gis.Score >= context.Options.GisPositiveThreshold;
        var observation = Biomarker(ImpressProfiles.Gis, Concept.Coded(Codes.ImpressGenomics, Codes.GenomicInstabilityScore, "Genomic instability score"));
        observation.Value = Ucum(gis.Score, "{score}", "score");
        observation.Interpretation.Add(positive ? Concept.Coded(Interpretation, "POS", "Positive") : Concept.Coded(Interpretation, "NEG", "Negative"));
        observation.Text = NarrativeText.Of($"Genomic instability score {Format(gis.Score)}: {(positive ? "positive" : "negative")} (threshold {Format(context.Options.GisPositiveThreshold)}).");
        return observation;
    }

    private Observation Variant(IEnumerable<string> genes)
    {
        var observation = Biomarker(ImpressProfiles.Variant, Concept.Coded(Codes.Loinc, Codes.Variant, "Genetic variant assessment"));
        observation.Value = Concept.Coded(Codes.Loinc, "LA9633-4", "Present");
        observation.Component.AddRange(genes.Select(g => Gene(context.Panel, g)));
        return observation;
    }

    private Observation Biomarker(string profile, CodeableConcept code) => new()
    {
        Meta = new Meta { Profile = [profile] },
        Status = ObservationStatus.Final,
        Category = [Concept.Coded("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", "Laboratory")],
        Code = code,
        Subject = new ResourceReference(context.PatientUrl),
        Issued = context.Issued,
        Performer = [new ResourceReference(context.OrganizationUrl)],
        Specimen = new ResourceReference(context.SpecimenUrl),
    };

    private static void AddBreakpoints(Observation observation, Findings.Breakpoint? first, Findings.Breakpoint? second)
    {
        foreach (var breakpoint in new[] { first, second }.OfType<Findings.Breakpoint>())
        {
            observation.Component.Add(Breakpoint(breakpoint));
        }
    }
}
