namespace Impress.Fhir.Tso500;

/// <summary>
/// A section holding a table: a header line naming the columns, then one line per result. A lone <c>NA</c> row
/// means the table is empty. Columns are found by name, so a pipeline that adds columns still reads.
/// </summary>
internal sealed class CvoTable
{
    private readonly CvoSection _section;
    private readonly IReadOnlyList<string> _header;
    private readonly HashSet<int> _taken = [];

    public CvoTable(CvoSection section, string source)
    {
        _section = section;
        Values = new CvoValues(source, section.Name);
        if (section.Lines.Count == 0)
        {
            throw Values.Error(section.Line, "the table has no header line.");
        }

        _header = section.Lines[0].Cells;
        if (_header.Any(c => c.Length == 0))
        {
            throw Values.Error(section.Lines[0].Number, "the header line has an unnamed column.");
        }

        Rows = section.Lines.Skip(1).Where(l => !l.IsLoneNa).ToList();
        foreach (var row in Rows)
        {
            if (row.Cells.Count > _header.Count)
            {
                throw Values.Error(row.Number, $"the row has {row.Cells.Count} values, but the header names {_header.Count} columns.");
            }
        }
    }

    public CvoValues Values { get; }

    public string Name => _section.Name;

    public IReadOnlyList<CvoLine> Rows { get; }

    /// <summary>The index of a column the section must have.</summary>
    public int Required(string column) =>
        Optional(column) ?? throw Values.Error(_section.Lines[0].Number, $"the table has no '{column}' column (its columns: {string.Join(", ", _header)}).");

    /// <summary>The index of a column the section may have, trying each name in turn.</summary>
    public int? Optional(params string[] names)
    {
        foreach (var name in names)
        {
            for (var i = 0; i < _header.Count; i++)
            {
                if (string.Equals(_header[i], name, StringComparison.OrdinalIgnoreCase))
                {
                    _taken.Add(i);
                    return i;
                }
            }
        }

        return null;
    }

    public SectionAccount Account(string source)
    {
        var notImported = Enumerable.Range(0, _header.Count)
            .Where(i => !_taken.Contains(i) && Rows.Any(r => CvoValues.Text(r.Cell(i)) is not null))
            .Select(i => _header[i])
            .ToList();
        return new SectionAccount(source, _section.Name, _section.Line, SectionShape.Rows, Rows.Count, 0, Rows.Count, notImported);
    }
}
