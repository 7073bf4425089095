using System.Text;
using Impress.Fhir.Tso500;

namespace Impress.Fhir.Testing;

/// <summary>
/// The project's own TSO500 CombinedVariantOutput.tsv files (tests/Impress.Fhir.Testing/Tso500), laid out as the
/// LocalApp and the DRAGEN TSO500 v2 pipeline write them: tab padding, NA blocks, trailing blank lines; the DRAGEN
/// one with a byte-order mark and CRLF line ends.
/// </summary>
public static class Tso500Fixtures
{
    /// <summary>LocalApp DNA of pair INP-T-0001: TMB 12.5, MSS, ERBB2 and CCND1 amplified, eleven small variants.</summary>
    public const string LocalAppDna = "localapp-dna.tsv";

    /// <summary>LocalApp RNA of pair INP-T-0001: six fusions (one with ambiguous partners), EGFRvIII and MET exon 14.</summary>
    public const string LocalAppRna = "localapp-rna.tsv";

    /// <summary>DRAGEN TSO500 v2 DNA of pair INP-T-0002: MSI-high, GIS 57, copy number gains and a loss, a BRCA1 rearrangement.</summary>
    public const string DragenDna = "dragen-v2-dna.tsv";

    /// <summary>An RNA no-template control: every section empty.</summary>
    public const string NoTemplateControl = "ntc-rna.tsv";

    public static string Directory => Path.Combine(RepositoryPaths.Root, "tests", "Impress.Fhir.Testing", "Tso500");

    public static string PathOf(string name) => Path.Combine(Directory, name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    /// <summary>The file as text (without its byte-order mark), to change in one place.</summary>
    public static string Text(string name) => Encoding.UTF8.GetString(Bytes(name)).TrimStart('\uFEFF');

    public static Tso500Input Input(string name) => new(name, Bytes(name));

    public static Tso500Input Input(string name, string text) => new(name, Encoding.UTF8.GetBytes(text));
}
