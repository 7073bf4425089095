namespace Impress.Fhir.Export.Anonymization;

/// <summary>Why a rule cannot be applied to an element; the message names types, never values.</summary>
internal sealed class ProcessingFailure(string reason, Exception? innerException = null) : Exception(reason, innerException);
