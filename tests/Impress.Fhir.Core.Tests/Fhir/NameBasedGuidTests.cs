using Impress.Fhir.Fhir;

namespace Impress.Fhir.Core.Tests.Fhir;

public sealed class NameBasedGuidTests
{
    [Fact]
    public void Matches_the_RFC_version_5_UUID_of_a_known_name()
    {
        // uuid5(NAMESPACE_DNS, "python.org"), as Python's uuid module computes it.
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

        Assert.Equal(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"), NameBasedGuid.Create(dns, "python.org"));
    }

    [Fact]
    public void Different_names_give_different_UUIDs() =>
        Assert.NotEqual(NameBasedGuid.Create(Guid.Empty, "a"), NameBasedGuid.Create(Guid.Empty, "b"));
}
