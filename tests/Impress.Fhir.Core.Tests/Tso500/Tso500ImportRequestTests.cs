using Impress.Fhir.Norway;
using Impress.Fhir.Testing;
using Impress.Fhir.Tso500;

namespace Impress.Fhir.Core.Tests.Tso500;

public sealed class Tso500ImportRequestTests
{
    private static readonly string Fnr = SyntheticIdentities.NationalId(11);

    [Fact]
    public void A_complete_request_is_parsed_and_normalised()
    {
        var (request, problems) = Tso500ImportRequest.Parse($" {Fnr} ", " T-1 ", "blood-ctdna", "c187", "993 467 049");

        Assert.Empty(problems);
        Assert.Equal((Fnr, "T-1", SpecimenType.BloodCtDna, "C18.7", "993467049"), (request!.Patient.Value, request.SpecimenId, request.SpecimenType, request.Diagnosis.Value, request.Hospital.Value));
    }

    [Fact]
    public void A_D_number_is_accepted_and_an_H_number_is_not()
    {
        var dNumber = TestData.ValidNumber("410190");
        var hNumber = TestData.ValidNumber("015090");

        Assert.Equal(NorwegianIdentityNumberKind.DNumber, Tso500ImportRequest.Parse(dNumber, "T", null, "C18", "993467049").Request!.Patient.Kind);
        var (_, problems) = Tso500ImportRequest.Parse(hNumber, "T", null, "C18", "993467049");
        Assert.Contains(problems, p => p.Field == Tso500RequestField.PatientIdentifier && p.Problem.Contains("H-number", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_bad_field_is_named_and_the_patient_identifier_is_never_repeated()
    {
        var wrongCheckDigit = Fnr[..10] + (char)('0' + ((Fnr[10] - '0' + 1) % 10));

        var (request, problems) = Tso500ImportRequest.Parse(wrongCheckDigit, "", "skin", "lung", "993467048");

        Assert.Null(request);
        Assert.Equal(
            [Tso500RequestField.PatientIdentifier, Tso500RequestField.Specimen, Tso500RequestField.SpecimenType, Tso500RequestField.Diagnosis, Tso500RequestField.Hospital],
            problems.Select(p => p.Field));
        Assert.DoesNotContain(problems, p => p.Problem.Contains(wrongCheckDigit, StringComparison.Ordinal));
        Assert.Contains("check digits", problems[0].Problem, StringComparison.Ordinal);
    }
}
