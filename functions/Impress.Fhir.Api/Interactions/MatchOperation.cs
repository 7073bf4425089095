using System.Net;
using Hl7.Fhir.Model;
using Impress.Fhir.Api.Matching;
using Impress.Fhir.Matching.Evaluation;
using Impress.Fhir.Matching.Patients;
using Impress.Fhir.Matching.Proposals;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Api.Interactions;

/// <summary>
/// <c>POST [base]/$match</c>: a report bundle in (as the body, or as the <c>report</c> parameter of a Parameters
/// resource), nothing stored, a collection Bundle out: for each patient a Parameters resource with every arm's
/// outcome and explanation, best first, and a draft proposal CarePlan for each arm matched.
/// </summary>
public sealed class MatchOperation(CatalogService catalog, ImpressValidator validator, TimeProvider time)
{
    public const string Name = "match";
    public const string Definition = "http://impress-norway.no/fhir/OperationDefinition/match";

    private readonly PatientProfileReader _reader = new(validator.Panel);

    public async Task<FhirResult> ExecuteAsync(Resource body, CancellationToken cancellationToken)
    {
        var bundle = body switch
        {
            Bundle b => b,
            Parameters p when p.Parameter.FirstOrDefault(x => x.Name == "report")?.Resource is Bundle b => b,
            Parameters => null,
            _ => null,
        };
        if (bundle is null)
        {
            return FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid,
                $"$match takes a report Bundle, as the body or as the 'report' parameter of a Parameters resource; this is a {body.TypeName}{(body is Parameters ? " without a 'report' Bundle" : "")}.",
                body is Parameters ? "Parameters.parameter.where(name = 'report')" : "resourceType");
        }

        var validation = validator.Validate(bundle);
        if (!validation.IsValid)
        {
            return FhirResult.Error(HttpStatusCode.UnprocessableEntity, validation.ToOperationOutcome());
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var profiles = _reader.FromBundle(bundle, today);
        if (profiles.Count == 0)
        {
            return FhirResult.Error(HttpStatusCode.UnprocessableEntity, OperationOutcome.IssueType.Required,
                "The bundle holds no genomic report (DiagnosticReport) and no Patient to match.", "Bundle.entry");
        }

        var matcher = await catalog.GetAsync(cancellationToken);
        var result = new Bundle { Type = Bundle.BundleType.Collection, Timestamp = time.GetUtcNow() };
        foreach (var profile in profiles)
        {
            var matches = matcher.Match(profile);
            result.Entry.Add(Entry(MatchResources.Outcomes(matches, profile)));
            result.Entry.AddRange(matches.Where(m => m.Result == MatchResult.Matched).Select(m => Entry(MatchResources.Proposal(m, profile, today))));
        }

        return new FhirResult { Status = HttpStatusCode.OK, Resource = result };
    }

    private static Bundle.EntryComponent Entry(Resource resource) => new() { FullUrl = $"urn:uuid:{Guid.NewGuid()}", Resource = resource };
}
