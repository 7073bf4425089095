using System.Text.RegularExpressions;

namespace Impress.Fhir.Genomics;

/// <summary>
/// Syntax checks for HGVS variant descriptions (HGVS nomenclature 21): coding (c.), genomic (g.) and protein (p.),
/// optionally prefixed by a versioned reference sequence ("NM_004333.6:c.1799T&gt;A"). They check the shape, not
/// that the change matches the reference sequence.
/// </summary>
public static partial class Hgvs
{
    private const string Reference = @"(?:[A-Z]{2}_\d+(?:\.\d+)?|ENS[TGP]\d+(?:\.\d+)?|LRG_\d+(?:[tp]\d+)?)(?:\([A-Za-z0-9_.-]+\))?:";
    private const string Nucleotides = "[ACGTUN]";
    private const string CodingPosition = @"(?:[-*]?\d+(?:[+-]\d+)?)";
    private const string NucleotideChange =
        $@"(?:{Nucleotides}>{Nucleotides}|delins{Nucleotides}+|del{Nucleotides}*|dup{Nucleotides}*|ins{Nucleotides}+|inv|=|{Nucleotides}*\[\d+\])";

    private const string AminoAcid = "(?:Ala|Arg|Asn|Asp|Cys|Gln|Glu|Gly|His|Ile|Leu|Lys|Met|Phe|Pro|Ser|Thr|Trp|Tyr|Val|Sec|Pyl|Ter|Xaa|[ACDEFGHIKLMNPQRSTVWYUOX*])";
    private const string ProteinPosition = $@"{AminoAcid}\d+";
    private const string Stop = @"(?:Ter|\*)";
    private const string ProteinChange =
        $@"(?:{ProteinPosition}(?:_{ProteinPosition})?" +
        $@"(?:{AminoAcid}?fs(?:{Stop}(?:\d+|\?))?|{AminoAcid}?ext(?:-\d+|{Stop}(?:\d+|\?))|delins{AminoAcid}+|del|dup|ins(?:{AminoAcid}+|\d+)|{AminoAcid}|=|\?))";

    [GeneratedRegex($@"^(?:{Reference})?c\.{CodingPosition}(?:_{CodingPosition})?{NucleotideChange}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodingRegex();

    [GeneratedRegex($@"^(?:{Reference})?[gm]\.\d+(?:_\d+)?{NucleotideChange}$", RegexOptions.CultureInvariant)]
    private static partial Regex GenomicRegex();

    [GeneratedRegex($@"^(?:{Reference})?p\.(?:=|\?|0|\(=\)|\(\?\)|{ProteinChange}|\({ProteinChange}\))$", RegexOptions.CultureInvariant)]
    private static partial Regex ProteinRegex();

    /// <summary>A coding DNA description such as "NM_004333.6:c.1799T&gt;A" or "c.2573_2574delinsGA".</summary>
    public static bool IsCoding(string value) => CodingRegex().IsMatch(value);

    /// <summary>A genomic description such as "NC_000007.13:g.140453136A&gt;T".</summary>
    public static bool IsGenomic(string value) => GenomicRegex().IsMatch(value);

    /// <summary>A protein description such as "NP_004324.2:p.(Val600Glu)", "p.V600E" or "p.(Arg97ProfsTer23)".</summary>
    public static bool IsProtein(string value) => ProteinRegex().IsMatch(value);
}
