using Hl7.Fhir.Model;
using Hl7.FhirPath;

namespace Impress.Fhir.Export.Anonymization;

/// <summary>
/// Anonymizing one resource: the rules in order over its element tree, then the scrub, then the resources nested in it.
/// An instance is rented from its <see cref="Anonymizer"/>'s pool and used by one thread at a time; what it keeps from
/// one resource to the next (nodes, lists, keyed hashers and what they computed) is what makes a warm anonymizer cheap.
/// </summary>
internal sealed class ResourceAnonymization
{
    private const string SecurityLabelSystem = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";

    private readonly Anonymizer _anonymizer;
    private readonly List<ElementNode> _selected = [];
    private readonly List<ElementNode>[] _scratch = [[], []];
    private KeyedHash? _pseudonyms;
    private KeyedHash? _dateShifts;
    private ValueEncryptor? _encryptor;
    private EvaluationContext? _evaluationContext;
    private int? _dateShiftDays;
    private string? _resourceId;

    public ResourceAnonymization(Anonymizer anonymizer) => _anonymizer = anonymizer;

    public ResourceTree Tree { get; } = new();

    public AnonymizationSubject Subject { get; private set; } = AnonymizationSubject.None;

    /// <summary>Today, for the age a date implies.</summary>
    public DateOnly Today { get; private set; }

    public PartialRedaction PartialRedaction => _anonymizer.PartialRedaction;

    /// <summary>The cryptoHash under the policy's key, and the pseudonyms it gave lately.</summary>
    public KeyedHash Pseudonyms => _pseudonyms ??= new KeyedHash(_anonymizer.Keys.CryptoHash!);

    /// <summary>The FHIRPath context (the evaluator finds <c>%resource</c> from the nodes), made when an expression first needs it.</summary>
    public EvaluationContext EvaluationContext => _evaluationContext ??= new EvaluationContext();

    /// <summary>
    /// The days this resource's dates move: derived from the id of the scope (the patient, the resource, or nothing for
    /// file and folder, which share one shift), keyed, the same for every resource of the scope.
    /// </summary>
    public int DateShiftDays => _dateShiftDays ??= (_dateShifts ??= new KeyedHash(_anonymizer.Keys.DateShift!)).Days(DateShiftScopeId());

    public string Encrypt(string value) => (_encryptor ??= new ValueEncryptor(_anonymizer.Keys.Encrypt!)).Encrypt(value);

    /// <summary>One of two lists a selector may fill between steps; cleared.</summary>
    public List<ElementNode> Scratch(int index)
    {
        var list = _scratch[index];
        list.Clear();
        return list;
    }

    /// <summary>Anonymizes the resource in place and returns what to emit: the resource, or its stand-in when a rule failed under "skip".</summary>
    public Resource Run(Resource resource, AnonymizationSubject subject)
    {
        Begin(resource, subject);
        foreach (var step in _anonymizer.PlanFor(resource))
        {
            if (!TryApply(step))
            {
                return Redacted(resource);
            }
        }

        if (_anonymizer.Scrub.IsActive)
        {
            _anonymizer.Scrub.Apply(Tree, subject);
        }

        AnonymizeNestedResources();
        return resource;
    }

    private void Begin(Resource resource, AnonymizationSubject subject)
    {
        Tree.Build(resource, _anonymizer.Policy.Index);
        Subject = subject;
        Today = DateOnly.FromDateTime(_anonymizer.Clock.GetUtcNow().UtcDateTime);
        _resourceId = resource.Id;
        _dateShiftDays = null;
        _evaluationContext = null;
    }

    /// <summary>Applies one rule; false when it failed on an element and the policy skips such resources.</summary>
    private bool TryApply(RuleStep step)
    {
        _selected.Clear();
        try
        {
            step.Selector.Select(this, _selected);
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidCastException or FormatException or ArgumentException or NotSupportedException)
        {
            return Fail(step.Rule, Tree.Root, $"its path cannot be evaluated on this resource: {e.Message}", e);
        }

        foreach (var node in _selected)
        {
            if (ResourceTree.IsSettled(node))
            {
                continue;
            }

            try
            {
                step.Transform.Apply(node, this);
            }
            catch (ProcessingFailure e)
            {
                if (!Fail(step.Rule, node, e.Message, e))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>raise throws; keep leaves the element and goes on (true); skip gives the resource up (false).</summary>
    private bool Fail(AnonymizationRule rule, ElementNode node, string reason, Exception exception) => _anonymizer.Policy.ProcessingErrors switch
    {
        ProcessingErrorMode.Raise => throw new AnonymizationProcessingException(rule, node.Location, reason, exception),
        ProcessingErrorMode.Keep => true,
        _ => false,
    };

    /// <summary>
    /// Contained resources and Bundle entries, each anonymized as a resource of its own with the same subject, unless a
    /// rule removed it or kept it as it is.
    /// </summary>
    private void AnonymizeNestedResources()
    {
        foreach (var node in Tree.NestedResources)
        {
            if (IsRemovedOrKept(node))
            {
                continue;
            }

            var resource = (Resource)node.Value;
            var emitted = _anonymizer.Anonymize(resource, Subject);
            if (!ReferenceEquals(emitted, resource))
            {
                node.Replace(emitted);
            }
        }
    }

    private static bool IsRemovedOrKept(ElementNode node)
    {
        for (var current = node; current is not null; current = current.Parent)
        {
            if (current.IsRemoved || current.IsKept)
            {
                return true;
            }
        }

        return false;
    }

    private string DateShiftScopeId() => _anonymizer.Policy.Parameters.DateShiftScope switch
    {
        DateShiftScope.Patient => Subject.PatientId ?? _resourceId ?? "",
        DateShiftScope.Resource => _resourceId ?? "",
        _ => "",
    };

    /// <summary>The empty resource of the same type, labelled REDACTED, that "skip" emits (as Microsoft's tool does).</summary>
    private static Resource Redacted(Resource resource)
    {
        var empty = (Resource)Activator.CreateInstance(resource.GetType())!;
        empty.Meta = new Meta { Security = [new Coding(SecurityLabelSystem, "REDACTED", "redacted")] };
        return empty;
    }
}
