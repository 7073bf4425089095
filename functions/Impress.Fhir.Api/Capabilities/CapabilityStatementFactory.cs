using Hl7.Fhir.Model;
using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Fhir;
using Impress.Fhir.Profiles;
using Impress.Fhir.Storage;
using Impress.Fhir.Subscriptions;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Api.Capabilities;

/// <summary>
/// The server's CapabilityStatement, built from what the server really does: the resource types it stores (those
/// with indexed search parameters), the IMPRESS profiles of the loaded package, and the interactions, search
/// parameters and operations the REST surface implements.
/// </summary>
public sealed class CapabilityStatementFactory(SearchParameterRegistry registry, ImpressValidator validator, Security.SecurityOptions security)
{
    /// <summary>The resource types the server accepts and serves.</summary>
    public IReadOnlyCollection<string> ResourceTypes { get; } = registry.ResourceTypes.Order(StringComparer.Ordinal).ToArray();

    /// <summary>SMART on FHIR, with the token endpoint, when the server takes tokens.</summary>
    private CapabilityStatement.SecurityComponent SecurityComponent()
    {
        if (!security.RequiresTokens)
        {
            return new CapabilityStatement.SecurityComponent { Description = "No tokens: the server listens on loopback only, for its local operator." };
        }

        var component = new CapabilityStatement.SecurityComponent
        {
            Cors = false,
            Service = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR")],
            Description = "SMART Backend Services: OAuth2 bearer tokens (client credentials with a signed JWT assertion, as HelseID issues them) with system scopes; see .well-known/smart-configuration.",
        };
        if (Api.Security.SmartConfiguration.TokenEndpoint(security) is { } token)
        {
            component.Extension.Add(new Extension { Url = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris", Extension = [new Extension("token", new FhirUri(token))] });
        }

        return component;
    }

    public CapabilityStatement Create(string baseUrl)
    {
        var profilesByType = ProfilesByType();
        var rest = new CapabilityStatement.RestComponent
        {
            Mode = CapabilityStatement.RestfulCapabilityMode.Server,
            Documentation = "IMPRESS-Norway genomics reports: every write is validated against the IMPRESS profiles; transactions are all or nothing.",
            Interaction =
            [
                new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.Transaction },
                new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.Batch },
            ],
            Operation =
            [
                Operation("validate", "http://hl7.org/fhir/OperationDefinition/Resource-validate"),
                Operation(Tso500ImportOperation.Name, Tso500ImportOperation.Definition),
                Operation(MatchOperation.Name, MatchOperation.Definition),
                Operation("export", BulkData.SystemExport),
            ],
            Security = SecurityComponent(),
        };

        foreach (var type in ResourceTypes)
        {
            var resource = new CapabilityStatement.ResourceComponent
            {
                Type = type,
                Versioning = CapabilityStatement.ResourceVersionPolicy.VersionedUpdate,
                ReadHistory = true,
                UpdateCreate = true,
                ConditionalCreate = true,
                ConditionalUpdate = true,
                ConditionalRead = CapabilityStatement.ConditionalReadStatus.NotSupported,
                ConditionalDelete = CapabilityStatement.ConditionalDeleteStatus.NotSupported,
                Interaction = new[]
                {
                    CapabilityStatement.TypeRestfulInteraction.Read,
                    CapabilityStatement.TypeRestfulInteraction.Vread,
                    CapabilityStatement.TypeRestfulInteraction.Update,
                    CapabilityStatement.TypeRestfulInteraction.HistoryInstance,
                    CapabilityStatement.TypeRestfulInteraction.Create,
                    CapabilityStatement.TypeRestfulInteraction.SearchType,
                }.Select(code => new CapabilityStatement.ResourceInteractionComponent { Code = code }).ToList(),
                SupportedProfileElement = profilesByType.GetValueOrDefault(type, []).Select(url => new Canonical(url)).ToList(),
                Operation = [Operation("validate", "http://hl7.org/fhir/OperationDefinition/Resource-validate")],
            };
            var references = registry.For(type).Where(p => p.Type == SearchParamType.Reference).Select(p => $"{type}:{p.Code}");
            resource.SearchInclude = [.. references.Order(StringComparer.Ordinal)];
            resource.SearchRevInclude = [.. registry.All.Where(p => p.Type == SearchParamType.Reference && p.Targets.Contains(type)).Select(p => $"{p.ResourceType}:{p.Code}")];
            if (type == Api.Security.AccessPolicy.AuditType)
            {
                // The server writes the audit trail; clients read and search it.
                resource.Interaction.RemoveAll(i => i.Code is CapabilityStatement.TypeRestfulInteraction.Create or CapabilityStatement.TypeRestfulInteraction.Update);
                resource.UpdateCreate = resource.ConditionalCreate = resource.ConditionalUpdate = false;
                resource.Operation.Clear();
            }

            if (type == "Patient")
            {
                resource.Operation.Add(Operation("export", BulkData.PatientExport));
            }

            if (type == "Group")
            {
                resource.Operation.Add(Operation("export", BulkData.GroupExport));
            }

            if (type == "Subscription")
            {
                // The Backport IG's way on R4: the topics on the Subscription resource, and its two operations.
                resource.Extension.AddRange(SubscriptionTopics.All.Select(t => new Extension(Backport.TopicCanonical, new Canonical(t.Canonical))));
                resource.Operation.Add(Operation("status", Backport.StatusOperation));
                resource.Operation.Add(Operation("events", Backport.EventsOperation));
            }

            resource.SearchParam.Add(Special("_id", SearchParamType.Token, "http://hl7.org/fhir/SearchParameter/Resource-id"));
            resource.SearchParam.Add(Special("_lastUpdated", SearchParamType.Date, "http://hl7.org/fhir/SearchParameter/Resource-lastUpdated"));
            foreach (var parameter in registry.For(type).OrderBy(p => p.Code, StringComparer.Ordinal))
            {
                resource.SearchParam.Add(new CapabilityStatement.SearchParamComponent
                {
                    Name = parameter.Code,
                    Type = parameter.Type,
                    Definition = $"http://hl7.org/fhir/SearchParameter/{type}-{parameter.Code}",
                    Documentation = parameter.Expression,
                });
            }

            rest.Resource.Add(resource);
        }

        // The subscription topics, readable as Basic resources (R4 has no SubscriptionTopic).
        rest.Resource.Add(new CapabilityStatement.ResourceComponent
        {
            Type = "Basic",
            Documentation = "The subscription topics (code SubscriptionTopic), read-only: GET Basic, GET Basic/careplan-update, GET Basic/cohort-status.",
            Interaction = [new() { Code = CapabilityStatement.TypeRestfulInteraction.Read }, new() { Code = CapabilityStatement.TypeRestfulInteraction.SearchType }],
        });

        return new CapabilityStatement
        {
            Url = baseUrl + "/metadata",
            Name = "ImpressFhirServer",
            Title = "IMPRESS-Norway FHIR integration server",
            Status = PublicationStatus.Active,
            Date = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Kind = CapabilityStatementKind.Instance,
            Software = new CapabilityStatement.SoftwareComponent { Name = "Impress.Fhir", Version = typeof(CapabilityStatementFactory).Assembly.GetName().Version?.ToString() },
            Implementation = new CapabilityStatement.ImplementationComponent { Description = "IMPRESS-Norway FHIR server", Url = baseUrl },
            FhirVersion = FHIRVersion.N4_0_1,
            InstantiatesElement = [new Canonical(BulkData.ServerCapabilities)],
            Format = ["application/fhir+json", "json"],
            Rest = [rest],
        };
    }

    private Dictionary<string, List<string>> ProfilesByType()
    {
        var byType = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var file in validator.Package.StructureDefinitionFiles)
        {
            var definition = FhirJsonReader.Default.Read(File.ReadAllBytes(file)).Resource as StructureDefinition;
            if (definition is { Kind: StructureDefinition.StructureDefinitionKind.Resource, Derivation: StructureDefinition.TypeDerivationRule.Constraint, Url: { } url, Type: { } type }
                && ImpressProfiles.IsOurs(url))
            {
                (byType.TryGetValue(type, out var list) ? list : byType[type] = []).Add(url);
            }
        }

        return byType;
    }

    /// <summary>The canonical URLs of the FHIR Bulk Data Access IG's definitions this server implements.</summary>
    private static class BulkData
    {
        public const string ServerCapabilities = "http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data";
        public const string SystemExport = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export";
        public const string PatientExport = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export";
        public const string GroupExport = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export";
    }

    private static CapabilityStatement.OperationComponent Operation(string name, string definition) => new() { Name = name, Definition = definition };

    private static CapabilityStatement.SearchParamComponent Special(string name, SearchParamType type, string definition) =>
        new() { Name = name, Type = type, Definition = definition };
}
