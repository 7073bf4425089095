namespace Impress.Fhir.Tso500;

/// <summary>
/// A section of "Key\tvalue" lines ([Analysis Details], [TMB], ...). A lone <c>NA</c> line means the block is empty;
/// a value of <c>NA</c> means that field has none. Keeps track of the fields taken, for the section's account.
/// </summary>
internal sealed class CvoFieldBlock
{
    private readonly Dictionary<string, (string Value, int Line)> _fields = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _order = [];
    private readonly HashSet<string> _taken = new(StringComparer.OrdinalIgnoreCase);
    private readonly CvoSection? _section;

    public CvoFieldBlock(CvoSection? section, string source)
    {
        _section = section;
        Values = new CvoValues(source, section?.Name ?? "");
        foreach (var line in section?.Lines ?? [])
        {
            if (line.IsLoneNa)
            {
                continue;
            }

            if (line.Cells.Count > 2)
            {
                throw Values.Error(line.Number, $"expected 'name<TAB>value', found {line.Cells.Count} values.");
            }

            var key = line.Cells[0];
            if (key.Length == 0)
            {
                throw Values.Error(line.Number, "the line has a value but no field name.");
            }

            if (!_fields.TryAdd(key, (line.Cell(1), line.Number)))
            {
                throw Values.Error(line.Number, $"the field '{key}' appears twice.");
            }

            _order.Add(key);
        }
    }

    public CvoValues Values { get; }

    /// <summary>The line of the section header (or of the field), for findings made of several fields.</summary>
    public int Line => _section?.Line ?? 0;

    /// <summary>The field's value and line; null when the field is missing, empty or NA.</summary>
    public (string Value, int Line)? Take(string key)
    {
        _taken.Add(key);
        return _fields.TryGetValue(key, out var field) && CvoValues.Text(field.Value) is not null ? field : null;
    }

    public SectionAccount? Account(string source, Func<string, bool>? imported = null)
    {
        if (_section is null)
        {
            return null;
        }

        var empty = _order.Count(k => CvoValues.Text(_fields[k].Value) is null);
        var notImported = _order.Where(k => CvoValues.Text(_fields[k].Value) is not null && !(_taken.Contains(k) && (imported?.Invoke(k) ?? true))).ToList();
        return new SectionAccount(source, _section.Name, _section.Line, SectionShape.Fields, _order.Count, empty, _order.Count - empty - notImported.Count, notImported);
    }
}
