using Hl7.Fhir.Model;
using Impress.Fhir.Validation;

namespace Impress.Fhir.Fhir;

/// <summary>
/// A FHIR JSON document that was read: the resource (possibly partial) and the problems the parser met in it.
/// </summary>
public sealed record FhirDocument(Resource Resource, IReadOnlyList<ValidationIssue> ParseIssues);

/// <summary>Why a document is not FHIR at all (malformed JSON, no or unknown resourceType, empty).</summary>
public sealed class UnreadableDocumentException(string message, Exception? inner = null) : Exception(message, inner);
