using System.Globalization;
using Hl7.Fhir.Model;

namespace Impress.Fhir.Testing;

/// <summary>Who a synthetic patient is (the national id a synthetic fødselsnummer with valid check digits): everything de-identification must remove.</summary>
public sealed record SyntheticPerson(string Given, string Family, string NationalId, string BirthDate, string Street, string PostalCode, string City, string Phone)
{
    /// <summary>The strings no de-identified line may hold (the postal code as a JSON string: four digits alone occur in any hash).</summary>
    public IEnumerable<string> Identifying => [Given, Family, NationalId, BirthDate, Street, $"\"{PostalCode}\"", City, Phone];

    /// <summary>
    /// The first of <see cref="Identifying"/> that <paramref name="text"/> holds, or null: names as whole words in any
    /// case ("Lars" is in "MolecularSequence", but not as a word), the rest as they are written.
    /// </summary>
    public string? FoundIn(string text) =>
        Identifying.FirstOrDefault(identifying => identifying == Given || identifying == Family || identifying == City
            ? System.Text.RegularExpressions.Regex.IsMatch(text, $@"(?<!\p{{L}}){System.Text.RegularExpressions.Regex.Escape(identifying)}(?!\p{{L}})", System.Text.RegularExpressions.RegexOptions.IgnoreCase)
            : text.Contains(identifying, StringComparison.Ordinal));
}

/// <summary>
/// The example report made into the <c>n</c>th patient's with identifying details wherever an EHR puts them: name,
/// national id, address, phone, exact birth date, and free text quoting name and national id (narratives, the
/// report's conclusion, a note on a variant).
/// </summary>
public static class IdentifiableReports
{
    private static readonly string[] Givens = ["Ingrid", "Lars", "Solveig", "Håkon", "Astrid", "Eirik", "Sigrid", "Magnus"];
    private static readonly string[] Families = ["Fjellheim", "Bråten", "Nordvik", "Skogstad", "Haugland", "Lindqvist", "Sætre", "Rønningen"];

    public static SyntheticPerson Person(int n) => new(
        Givens[n % Givens.Length],
        Families[n / Givens.Length % Families.Length],
        SyntheticIdentities.NationalId(n),
        new DateOnly(1950 + (n % 40), 1 + (n % 12), 1 + (n % 28)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        $"Kvernhusveien {10 + n}",
        (1000 + (n * 37 % 8000)).ToString("D4", CultureInfo.InvariantCulture),
        "Drammen",
        "+47 9" + (1000000 + n).ToString("D7", CultureInfo.InvariantCulture));

    public static Bundle OfPatient(int n, string icd10 = "C18.7", string? organizationNumber = null)
    {
        var person = Person(n);
        var bundle = ExampleReports.OfPatient(n, icd10, organizationNumber);
        var quote = $"{person.Given} {person.Family} ({person.NationalId})";
        foreach (var resource in bundle.Entry.Select(e => e.Resource))
        {
            switch (resource)
            {
                case Patient patient:
                    patient.Name = [new HumanName { Family = person.Family, Given = [person.Given] }];
                    patient.BirthDate = person.BirthDate;
                    patient.Address = [new Address { Line = [person.Street], PostalCode = person.PostalCode, City = person.City, Country = "NO" }];
                    patient.Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Mobile, person.Phone)];
                    patient.Text = Narrative($"{quote}, born {person.BirthDate}, {person.Street}, {person.PostalCode} {person.City}.");
                    break;
                case DiagnosticReport report:
                    report.Conclusion = $"Tumour board summary for {quote}: BRAF V600E, see variants.";
                    report.Text = Narrative($"Genomic report of {quote}.");
                    break;
                case Observation { Component.Count: > 0 } observation when observation.Note.Count == 0:
                    observation.Note = [new Annotation { Text = $"Discussed with {person.Given} on the phone ({person.Phone}); national id {person.NationalId[..6]} {person.NationalId[6..]}." }];
                    break;
            }
        }

        return bundle;
    }

    private static Narrative Narrative(string text) => new()
    {
        Status = Hl7.Fhir.Model.Narrative.NarrativeStatus.Generated,
        Div = $"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>{System.Security.SecurityElement.Escape(text)}</p></div>",
    };
}
