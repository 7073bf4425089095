using Impress.Fhir.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Impress.Fhir.Functions;

/// <summary>
/// The FHIR REST surface as one HTTP trigger: every request below /fhir goes to the handler <c>impress serve</c>
/// uses too, so both hosts answer alike.
/// </summary>
public sealed class FhirFunction(FhirHttpHandler handler)
{
    [Function("fhir")]
    public Task RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "delete", Route = "{*path}")] HttpRequest request,
        string? path) =>
        handler.HandleAsync(request.HttpContext, path);
}
