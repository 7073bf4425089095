namespace Impress.Fhir.Tso500;

/// <summary>
/// A CombinedVariantOutput.tsv as text: its <c>[Section]</c> blocks, each line split into cells with the tab padding
/// removed. What the cells mean is for <see cref="CombinedVariantOutputParser"/>.
/// </summary>
public sealed class CvoDocument(string source, IReadOnlyList<CvoSection> sections)
{
    /// <summary>The name the file goes by in messages (its file name, or the HTTP parameter it came in).</summary>
    public string Source { get; } = source;

    public IReadOnlyList<CvoSection> Sections { get; } = sections;

    public CvoSection? Find(string name) => Sections.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A <c>[Name]</c> block: the header line's number and the non-blank lines below it.</summary>
public sealed record CvoSection(string Name, int Line, IReadOnlyList<CvoLine> Lines);

/// <summary>
/// One line of a section. Trailing empty cells (the tab padding every line of the file carries) are removed;
/// empty cells between values are kept, since a table's columns are positional.
/// </summary>
public sealed record CvoLine(int Number, IReadOnlyList<string> Cells)
{
    /// <summary>A line whose only value is <c>NA</c>: the file's way of writing an empty table or block.</summary>
    public bool IsLoneNa => Cells is ["NA"];

    public string Cell(int index) => index < Cells.Count ? Cells[index] : "";
}
