using Impress.Fhir.Profiles;

namespace Impress.Fhir.Validation;

public sealed class ImpressValidatorOptions
{
    /// <summary>The IMPRESS package folder; by default the copy beside the program (see <see cref="ProfilePackage.Load"/>).</summary>
    public string? ProfilesDirectory { get; set; }

    /// <summary>The core specification; by default the pack built from the SDK's specification.zip.</summary>
    public CoreSpecificationSource? CoreSpecification { get; set; }

    /// <summary>How many bundle entries are validated at once. 1 keeps validation on the calling thread.</summary>
    public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Whether compiled schemas are rewritten to validate the same with less work (see
    /// <see cref="Schemas.SchemaRewriter"/>). Off, every check runs as the profile validator compiled it: several
    /// times slower, and there only to compare against.
    /// </summary>
    public bool RewriteSchemas { get; set; } = true;
}
