using System.Text;
using Hl7.Fhir.Model;
using Impress.Fhir.Fhir;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Core.Tests.Fhir;

public sealed class FhirJsonTests
{
    [Fact]
    public void Bytes_hold_the_same_json_as_the_string()
    {
        var bundle = SyntheticReports.Create(40, patient: 7);
        var patient = bundle.Entry.Select(e => e.Resource).OfType<Patient>().Single();
        patient.Name[0].Family = "Bjørnstjerne \"Æ\" <Ås> \u2028 😀";

        Assert.Equal(Encoding.UTF8.GetBytes(FhirJson.Serialize(bundle)), FhirJson.SerializeToUtf8Bytes(bundle));
        Assert.Equal(Encoding.UTF8.GetBytes(FhirJson.Serialize(patient)), FhirJson.SerializeToUtf8Bytes(patient));
    }

    [Fact]
    public void A_resource_larger_than_the_kept_buffer_is_written_whole_and_the_next_one_too()
    {
        var large = new Binary { ContentType = "application/octet-stream", Data = new byte[3 * 1024 * 1024] };
        var small = new Patient { Id = "p1", Gender = AdministrativeGender.Female };

        Assert.Equal(Encoding.UTF8.GetBytes(FhirJson.Serialize(large)), FhirJson.SerializeToUtf8Bytes(large));
        Assert.Equal(Encoding.UTF8.GetBytes(FhirJson.Serialize(small)), FhirJson.SerializeToUtf8Bytes(small));
    }
}
