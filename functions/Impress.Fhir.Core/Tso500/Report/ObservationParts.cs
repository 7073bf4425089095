using System.Globalization;
using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Genomics;

namespace Impress.Fhir.Tso500.Report;

/// <summary>The components of the IMPRESS variant and biomarker profiles, coded as the Genomics Reporting IG codes them.</summary>
internal static class ObservationParts
{
    public const string HgvsSystem = "http://varnomen.hgvs.org";
    public const string RefSeq = "http://www.ncbi.nlm.nih.gov/refseq";
    public const string GenomicsReportingTbd = "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs";

    public static Observation.ComponentComponent Loinc(string code, string display, DataType value) =>
        new() { Code = Concept.Coded(Codes.Loinc, code, display), Value = value };

    public static Observation.ComponentComponent ImpressCode(string code, string display, DataType value) =>
        new() { Code = Concept.Coded(Codes.ImpressGenomics, code, display), Value = value };

    /// <summary>A gene studied: its HGNC id when the panel knows the symbol, else the symbol as text (a fusion partner outside the panel).</summary>
    public static Observation.ComponentComponent Gene(GenePanel? panel, string symbol) =>
        Loinc(Codes.GeneStudied, "Gene studied [ID]", panel is not null && panel.TryGetGene(symbol, out var gene)
            ? Concept.Coded(Codes.Hgnc, gene.HgncId, gene.Symbol)
            : new CodeableConcept { Text = symbol });

    public static Observation.ComponentComponent Category(string code, string display) =>
        ImpressCode(Codes.VariantCategoryComponent, "Variant category", Concept.Coded(Codes.VariantCategory, code, display));

    public static Observation.ComponentComponent VariationCode(string text) =>
        Loinc("81252-9", "Discrete genetic variant", new CodeableConcept { Text = text });

    public static Observation.ComponentComponent Consequence(Coding coding) =>
        new() { Code = Concept.Coded(GenomicsReportingTbd, "molecular-consequence", "Molecular consequence"), Value = new CodeableConcept { Coding = [coding] } };

    /// <summary>A consequence term: its Sequence Ontology coding, or the term as text when the table does not know it.</summary>
    public static Observation.ComponentComponent Consequence(string term) => SequenceOntology.Coding(term) is { } coding
        ? Consequence(coding)
        : new() { Code = Concept.Coded(GenomicsReportingTbd, "molecular-consequence", "Molecular consequence"), Value = new CodeableConcept { Text = term } };

    public static Observation.ComponentComponent Somatic() =>
        Loinc("48002-0", "Genomic source class [Type]", Concept.Coded(Codes.Loinc, "LA6684-0", "Somatic"));

    public static Observation.ComponentComponent Chromosome(Chromosome chromosome) =>
        Loinc("48000-4", "Chromosome", chromosome.ToLoincConcept());

    public static Observation.ComponentComponent OneBasedCoordinates() =>
        Loinc("92822-6", "Genomic coordinate system [Type]", Concept.Coded(Codes.Loinc, "LA30102-0", "1-based character counting"));

    public static Observation.ComponentComponent StartEnd(long start, long end) =>
        Loinc("81254-5", "Genomic allele start-end", new Hl7.Fhir.Model.Range { Low = new Quantity { Value = start }, High = new Quantity { Value = end } });

    public static Observation.ComponentComponent FoldChange(decimal value) =>
        ImpressCode("fold-change", "Fold change", new Quantity { Value = value });

    public static Observation.ComponentComponent CopyNumber(decimal value) =>
        Loinc("82155-3", "Genomic structural variant copy number", new Quantity { Value = value });

    public static Observation.ComponentComponent SupportingReads(int reads) =>
        ImpressCode("supporting-reads", "Supporting reads", new Integer(reads));

    public static Observation.ComponentComponent ReferenceReads(int reads) =>
        ImpressCode("reference-reads", "Reference reads", new Integer(reads));

    public static Observation.ComponentComponent Breakpoint(Findings.Breakpoint breakpoint) =>
        ImpressCode("fusion-breakpoint", "Breakpoint", new FhirString(breakpoint.ToString()));

    public static Observation.ComponentComponent Exons(string exons) =>
        ImpressCode("affected-exons", "Affected exon(s)", new FhirString(exons));

    public static Quantity Ucum(decimal value, string code, string? unit = null) =>
        new() { Value = value, System = Codes.Ucum, Code = code, Unit = unit };

    public static string Format(decimal value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
