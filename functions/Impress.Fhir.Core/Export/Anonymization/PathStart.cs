namespace Impress.Fhir.Export.Anonymization;

/// <summary>Where a path of element names starts: the resource, or the elements of a type or a name anywhere in it.</summary>
internal enum PathStart
{
    Resource,
    Type,
    Name,
}
