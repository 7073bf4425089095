using Impress.Fhir.Api.Security;

namespace Impress.Fhir.Api.Tests.Security;

public sealed class SmartScopesTests
{
    [Theory]
    [InlineData("system/DiagnosticReport.c", "DiagnosticReport", SmartPermissions.Create, true)]
    [InlineData("system/DiagnosticReport.c", "DiagnosticReport", SmartPermissions.Read, false)]
    [InlineData("system/DiagnosticReport.c", "Patient", SmartPermissions.Create, false)]
    [InlineData("system/*.rs", "CarePlan", SmartPermissions.Read | SmartPermissions.Search, true)]
    [InlineData("system/*.rs", "CarePlan", SmartPermissions.Update, false)]
    [InlineData("system/*.cruds", "Task", SmartPermissions.All, true)]
    [InlineData("system/CarePlan.read", "CarePlan", SmartPermissions.Search, true)]
    [InlineData("system/CarePlan.write", "CarePlan", SmartPermissions.Update, true)]
    [InlineData("system/CarePlan.write", "CarePlan", SmartPermissions.Read, false)]
    [InlineData("system/*.*", "Group", SmartPermissions.All, true)]
    [InlineData("system/Patient.rc", "Patient", SmartPermissions.Read, false)] // letters out of order: not a scope
    [InlineData("system/Patient.rs?identifier=x", "Patient", SmartPermissions.Read, false)] // narrowed: not honoured
    [InlineData("patient/*.rs", "Patient", SmartPermissions.Read, false)]
    [InlineData("user/*.cruds", "Patient", SmartPermissions.Read, false)]
    [InlineData("system/.rs", "Patient", SmartPermissions.Read, false)]
    [InlineData("nhn:impress-fhir/system/Task.u", "Task", SmartPermissions.Update, true)]
    [InlineData("other-api/system/Task.u", "Task", SmartPermissions.Update, false)]
    public void A_scope_grants_what_smart_says_and_nothing_more(string scope, string type, SmartPermissions permissions, bool allowed) =>
        Assert.Equal(allowed, SmartScopes.Parse([scope], "nhn:impress-fhir/").Allows(type, permissions));

    [Fact]
    public void Scopes_add_up_whether_space_separated_or_repeated()
    {
        var scopes = SmartScopes.Parse(["system/Patient.r system/Patient.s", "system/Observation.c"]);

        Assert.True(scopes.Allows("Patient", SmartPermissions.Read | SmartPermissions.Search));
        Assert.True(scopes.Allows("Observation", SmartPermissions.Create));
        Assert.False(scopes.Allows("Observation", SmartPermissions.Read));
        Assert.Equal("system/Patient.rs", SmartScopes.Needed("Patient", SmartPermissions.Read | SmartPermissions.Search));
    }
}
