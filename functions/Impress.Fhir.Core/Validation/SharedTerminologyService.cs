using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Terminology;
using Impress.Fhir.Fhir;

namespace Impress.Fhir.Validation;

/// <summary>
/// One terminology service for all pooled validators: answers are cached, and calls into the SDK's local service
/// (which expands ValueSets into the shared, cached ValueSet instances) are made one at a time, so concurrent
/// validations neither race on those instances nor expand the same ValueSet once per validator.
/// </summary>
internal sealed class SharedTerminologyService(ICodeValidationTerminologyService inner) : ICodeValidationTerminologyService
{
    /// <summary>Required bindings are to small ValueSets, so the distinct questions are few; this only bounds hostile input.</summary>
    private const int MaxCachedAnswers = 100_000;

    private readonly ConcurrentDictionary<string, Parameters> _answers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<Parameters> ValueSetValidateCode(Parameters parameters, string? id = null, bool useGet = false)
    {
        var key = id + "|" + FhirJson.Serialize(parameters);
        if (_answers.TryGetValue(key, out var answer))
        {
            return answer;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_answers.TryGetValue(key, out answer))
            {
                answer = await inner.ValueSetValidateCode(parameters, id, useGet).ConfigureAwait(false);
                if (_answers.Count >= MaxCachedAnswers)
                {
                    _answers.Clear();
                }

                _answers[key] = answer;
            }

            return answer;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<Parameters> Subsumes(Parameters parameters, string? id = null, bool useGet = false)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            return await inner.Subsumes(parameters, id, useGet).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
