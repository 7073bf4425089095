using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;

namespace Impress.Fhir.Genomics;

/// <summary>
/// A human chromosome as sequencing software names it ("chr7", "7", "chrX", "chrM"), with the codes FHIR uses for
/// it: the LOINC answer of the chromosome component (answer list LL2938-0) and the chromosome-human code of
/// MolecularSequence; neither has a code for the mitochondrial chromosome, which is named in text.
/// </summary>
public sealed class Chromosome
{
    public const string ChromosomeHumanSystem = "http://terminology.hl7.org/CodeSystem/chromosome-human";

    private static readonly string[] LoincAnswers =
    [
        "LA21254-0", "LA21255-7", "LA21256-5", "LA21257-3", "LA21258-1", "LA21259-9", "LA21260-7", "LA21261-5",
        "LA21262-3", "LA21263-1", "LA21264-9", "LA21265-6", "LA21266-4", "LA21267-2", "LA21268-0", "LA21269-8",
        "LA21270-6", "LA21271-4", "LA21272-2", "LA21273-0", "LA21274-8", "LA21275-5", "LA21276-3", "LA21277-1",
    ];

    private static readonly Dictionary<string, Chromosome> ByName = Create();

    private Chromosome(string name, string? loincAnswer)
    {
        Name = name;
        LoincAnswer = loincAnswer;
    }

    /// <summary>The name without prefix: "1".."22", "X", "Y", "M".</summary>
    public string Name { get; }

    /// <summary>The LOINC answer code (LL2938-0); none for the mitochondrial chromosome.</summary>
    public string? LoincAnswer { get; }

    public static bool TryParse(string? text, out Chromosome chromosome)
    {
        var name = text?.Trim() ?? "";
        if (name.StartsWith("chr", StringComparison.OrdinalIgnoreCase))
        {
            name = name[3..];
        }

        return ByName.TryGetValue(name.ToUpperInvariant() == "MT" ? "M" : name.ToUpperInvariant(), out chromosome!);
    }

    /// <summary>The value of a chromosome component (LOINC 48000-4).</summary>
    public CodeableConcept ToLoincConcept() => LoincAnswer is { } code
        ? Concept.Coded(Codes.Loinc, code, $"Chromosome {Name}")
        : new CodeableConcept { Text = "Mitochondrial chromosome" };

    /// <summary>MolecularSequence.referenceSeq.chromosome (chromosome-human has no mitochondrial code).</summary>
    public CodeableConcept ToChromosomeHumanConcept() => LoincAnswer is null
        ? new CodeableConcept { Text = "Mitochondrial chromosome" }
        : Concept.Coded(ChromosomeHumanSystem, Name, $"chromosome {Name}");

    public override string ToString() => "chr" + Name;

    private static Dictionary<string, Chromosome> Create()
    {
        var names = Enumerable.Range(1, 22).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("X").Append("Y").ToArray();
        var byName = names.Select((name, i) => new Chromosome(name, LoincAnswers[i])).ToDictionary(c => c.Name, StringComparer.Ordinal);
        byName["M"] = new Chromosome("M", null);
        return byName;
    }
}
