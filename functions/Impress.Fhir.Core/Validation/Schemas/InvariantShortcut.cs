using System.Text.RegularExpressions;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Newtonsoft.Json.Linq;

namespace Impress.Fhir.Validation.Schemas;

#pragma warning disable ExperimentalApi // The validator's building blocks are marked experimental; they are its extension point.

/// <summary>
/// A FHIRPath invariant with a quick test, in code, for the common case where it surely holds; otherwise the
/// FHIRPath is evaluated as before. The validator does the same for ele-1 and ext-1; this covers the core invariants
/// that every IMPRESS report evaluates dozens of times (<see cref="KnownInvariants"/>).
/// </summary>
internal sealed class InvariantShortcut(FhirPathValidator inner, Func<Base, bool> surelyHolds) : IValidatable
{
    public FhirPathValidator Inner { get; } = inner;

    public ResultReport Validate(PocoNode input, ValidationSettings vc, ValidationState state) =>
        surelyHolds(input.Poco) ? ResultReport.SUCCESS : ((IValidatable)Inner).Validate(input, vc, state);

    public JToken ToJson() => Inner.ToJson();
}

/// <summary>
/// The quick tests of <see cref="InvariantShortcut"/>, each for one core invariant, recognised by key and by its
/// exact FHIR R4 expression (a profile that reuses a key for another expression keeps its FHIRPath).
/// </summary>
internal static partial class KnownInvariants
{
    private static readonly Dictionary<(string Key, string Expression), Func<Base, bool>> Shortcuts = new()
    {
        // dom-2 to dom-5 constrain contained resources only, so they hold for a resource that contains none.
        [("dom-2", "contained.contained.empty()")] = HasNoContained,
        [("dom-3", "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()")] = HasNoContained,
        [("dom-4", "contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()")] = HasNoContained,
        [("dom-5", "contained.meta.security.empty()")] = HasNoContained,
        [("obs-6", "dataAbsentReason.empty() or value.empty()")] = resource => resource is Observation { DataAbsentReason: null } or Observation { Value: null },
        [("obs-7", "value.empty() or component.code.where(coding.intersect(%resource.code.coding).exists()).empty()")] = NoComponentSharesTheCode,

        // A reference to a contained resource starts with '#'; any other reference passes ref-1 on its first clause.
        // The validator's compiler replaces the R4 text with a corrected one, which also passes a reference without a
        // literal; the same goes for bdl-8 and an entry without a fullUrl.
        [("ref-1", "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))")] =
            IsNotLocal,
        [("ref-1", "reference.exists() implies (reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids')) or (reference='#' and %rootResource!=%resource))")] =
            reference => reference is ResourceReference { ReferenceElement: null } || IsNotLocal(reference),

        // Datatype invariants, for the values that are new to the memo of validated content (measurements, mostly).
        [("qty-3", "code.empty() or system.exists()")] = quantity => quantity is Quantity { CodeElement: null } or Quantity { SystemElement: not null },
        [("sqty-1", "comparator.empty()")] = quantity => quantity is Quantity { ComparatorElement: null },
        [("rng-2", "low.empty() or high.empty() or (low <= high)")] = LowIsAtMostHigh,
        [("per-1", "start.hasValue().not() or end.hasValue().not() or (start <= end)")] =
            period => period is Period { StartElement.Value: null } or Period { EndElement.Value: null },
        [("att-1", "data.empty() or contentType.exists()")] = attachment => attachment is Attachment { DataElement: null } or Attachment { ContentTypeElement: not null },
        [("cpt-2", "value.empty() or system.exists()")] = contactPoint => contactPoint is ContactPoint { ValueElement: null } or ContactPoint { SystemElement: not null },

        // The IMPRESS variant profile's own, evaluated for every allele frequency and fusion breakpoint.
        [("impress-var-1", "value.ofType(Quantity).value.all($this >= 0 and $this <= 1)")] =
            component => component is Observation.ComponentComponent { Value: not Quantity } or Observation.ComponentComponent { Value: Quantity { Value: null or (>= 0 and <= 1) } },
        [("impress-var-2", "value.ofType(string).all(matches('^(chr)?([0-9]{1,2}|X|Y|M|MT):[0-9]+$'))")] =
            component => component is Observation.ComponentComponent { Value: not FhirString } or Observation.ComponentComponent { Value: FhirString { Value: null } }
                || component is Observation.ComponentComponent { Value: FhirString { Value: { } breakpoint } } && Breakpoint().IsMatch(breakpoint),

        // The Bundle invariants: the validator evaluates each over every entry, in FHIRPath, for every bundle.
        [("bdl-1", "total.empty() or (type = 'searchset') or (type = 'history')")] =
            bundle => bundle is Bundle { Total: null } or Bundle { Type: Bundle.BundleType.Searchset or Bundle.BundleType.History },
        [("bdl-2", "entry.search.empty() or (type = 'searchset')")] =
            bundle => bundle is Bundle b && (b.Type == Bundle.BundleType.Searchset || b.Entry.All(e => e.Search is null)),
        [("bdl-3", "entry.all(request.exists() = (%resource.type = 'batch' or %resource.type = 'transaction' or %resource.type = 'history'))")] =
            bundle => bundle is Bundle { Type: { } type } b && b.Entry.All(e => (e.Request is not null) == type is Bundle.BundleType.Batch or Bundle.BundleType.Transaction or Bundle.BundleType.History),
        [("bdl-4", "entry.all(response.exists() = (%resource.type = 'batch-response' or %resource.type = 'transaction-response' or %resource.type = 'history'))")] =
            bundle => bundle is Bundle { Type: { } type } b && b.Entry.All(e => (e.Response is not null) == type is Bundle.BundleType.BatchResponse or Bundle.BundleType.TransactionResponse or Bundle.BundleType.History),
        [("bdl-7", "(type = 'history') or entry.where(fullUrl.exists()).select(fullUrl&resource.meta.versionId).isDistinct()")] = FullUrlsAreDistinct,
        [("bdl-9", "type = 'document' implies (identifier.system.exists() and identifier.value.exists())")] =
            bundle => bundle is Bundle { Type: { } type } && type != Bundle.BundleType.Document,
        [("bdl-10", "type = 'document' implies (timestamp.hasValue())")] =
            bundle => bundle is Bundle { Type: { } type } && type != Bundle.BundleType.Document,
        [("bdl-5", "resource.exists() or request.exists() or response.exists()")] =
            entry => entry is Bundle.EntryComponent e && (e.Resource is not null || e.Request is not null || e.Response is not null),
        [("bdl-8", "fullUrl.contains('/_history/').not()")] =
            entry => entry is Bundle.EntryComponent e && (e.FullUrl is null || !e.FullUrl.Contains("/_history/", StringComparison.Ordinal)),
        [("bdl-8", "fullUrl.exists() implies fullUrl.contains('/_history/').not()")] =
            entry => entry is Bundle.EntryComponent e && (e.FullUrlElement is null || e.FullUrl is { } fullUrl && !fullUrl.Contains("/_history/", StringComparison.Ordinal)),
    };

    public static bool TryGetShortcut(FhirPathValidator invariant, out Func<Base, bool> surelyHolds) =>
        Shortcuts.TryGetValue((invariant.Key, invariant.Expression), out surelyHolds!);

    private static bool IsNotLocal(Base reference) => reference is ResourceReference { Reference: { } literal } && !literal.StartsWith('#');

    private static bool HasNoContained(Base resource) => resource is DomainResource { Contained.Count: 0 };

    /// <summary>Two quantities of the same unit (or both without one), neither with a comparator, compare by value.</summary>
    private static bool LowIsAtMostHigh(Base range) => range switch
    {
        Hl7.Fhir.Model.Range { Low: null } or Hl7.Fhir.Model.Range { High: null } => true,
        Hl7.Fhir.Model.Range { Low: { Value: { } low } lower, High: { Value: { } high } upper } =>
            lower.Comparator is null && upper.Comparator is null && lower.Code == upper.Code && lower.System == upper.System && lower.Unit == upper.Unit && low <= high,
        _ => false,
    };

    [GeneratedRegex("^(chr)?([0-9]{1,2}|X|Y|M|MT):[0-9]+$")]
    private static partial Regex Breakpoint();

    /// <summary>FHIRPath's isDistinct over fullUrl and version, with a set: the expression itself is quadratic in the entries.</summary>
    private static bool FullUrlsAreDistinct(Base bundle)
    {
        if (bundle is not Bundle b)
        {
            return false;
        }

        if (b.Type == Bundle.BundleType.History)
        {
            return true;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in b.Entry)
        {
            if (entry.FullUrl is { } fullUrl && !seen.Add(fullUrl + entry.Resource?.Meta?.VersionId))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Equal codings have equal system and code, so without a shared pair no coding is in the intersection.</summary>
    private static bool NoComponentSharesTheCode(Base resource)
    {
        if (resource is not Observation observation)
        {
            return false;
        }

        if (observation.Value is null)
        {
            return true;
        }

        foreach (var component in observation.Component)
        {
            foreach (var coding in component.Code?.Coding ?? [])
            {
                foreach (var own in observation.Code?.Coding ?? [])
                {
                    if (own.System == coding.System && own.Code == coding.Code)
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }
}
