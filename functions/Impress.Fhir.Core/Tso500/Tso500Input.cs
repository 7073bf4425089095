namespace Impress.Fhir.Tso500;

/// <summary>A CombinedVariantOutput.tsv to import: the name it goes by in messages, and its bytes.</summary>
public sealed record Tso500Input(string Name, ReadOnlyMemory<byte> Content);
