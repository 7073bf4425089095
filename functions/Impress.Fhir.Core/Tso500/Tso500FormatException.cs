namespace Impress.Fhir.Tso500;

/// <summary>
/// A CombinedVariantOutput.tsv that cannot be imported, with the line and section at fault. The message is meant
/// for the lab engineer who has the file open; it quotes the file's values, never patient identifiers.
/// </summary>
public sealed class Tso500FormatException(string source, int line, string? section, string problem)
    : Exception($"{source}: line {line}{(section is null ? "" : $" [{section}]")}: {problem}")
{
    /// <summary>The file, as <see cref="CvoDocument.Source"/> names it.</summary>
    public string File { get; } = source;

    public int LineNumber { get; } = line;

    public string? Section { get; } = section;

    public string Problem { get; } = problem;
}
