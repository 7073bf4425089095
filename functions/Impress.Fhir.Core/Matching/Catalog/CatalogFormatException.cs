namespace Impress.Fhir.Matching.Catalog;

/// <summary>A catalog that cannot be read: its arms, cohorts or rules are not what they should be. The message names which.</summary>
public sealed class CatalogFormatException(string message, Exception? inner = null) : Exception(message, inner);
