namespace Impress.Fhir.Export;

/// <summary>The names export stores accept for jobs and files: the server's own, checked again because they arrive in URLs.</summary>
public static class ExportFileNames
{
    /// <summary>Returns <paramref name="name"/> when it is a plain name (letters, digits, '-', '_', '.'; not leading '.'), so it can never leave the job's folder.</summary>
    /// <exception cref="ArgumentException">It is not.</exception>
    public static string Check(string name) =>
        name.Length is > 0 and <= 128 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && !name.StartsWith('.')
            ? name
            : throw new ArgumentException($"'{name}' is not an export file or job name.", nameof(name));
}
