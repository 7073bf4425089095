namespace Impress.Fhir.Storage;

/// <summary>A write expected another current version than the store has: somebody else wrote first.</summary>
public sealed class VersionConflictException(string type, string id, long expected, long actual)
    : Exception($"{type}/{id} is at version {actual}, not {expected}.")
{
    public string Type { get; } = type;

    public string Id { get; } = id;

    public long Expected { get; } = expected;

    public long Actual { get; } = actual;
}

/// <summary>A commit claimed a key that another resource already holds.</summary>
public sealed class UniqueClaimConflictException(string key, ClaimOwner owner)
    : Exception($"The key {key} is already held by {owner.Type}/{owner.Id}.")
{
    public string Key { get; } = key;

    public ClaimOwner Owner { get; } = owner;
}
