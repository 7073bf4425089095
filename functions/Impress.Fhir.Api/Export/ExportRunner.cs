using System.Buffers;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Export;
using Impress.Fhir.Export.Anonymization;
using Impress.Fhir.Fhir;
using Impress.Fhir.Storage;

namespace Impress.Fhir.Api.Export;

/// <summary>
/// Runs an export a slice at a time: each slice reads up to <see cref="ExportOptions.SliceSize"/> resources of the
/// job's current type, page by page in the store's order, and writes them as one NDJSON file, de-identified when the
/// job asks. Nothing grows with the store: a slice holds one page and the patients it met, and the job records only
/// where the next slice starts. The same runner serves the queue stage and <c>impress export</c>.
/// </summary>
public sealed class ExportRunner(IFhirStore store, SearchIndexer indexer, SearchRequestParser parser, ExportOptions options)
{
    /// <summary>The most patients whose names are kept between slices; beyond it the cache starts again, so memory stays bounded.</summary>
    private const int MaxCachedSubjects = 20_000;

    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private static readonly BaseFhirJsonSerializer Serializer = new(ModelInfo.ModelInspector);

    /// <summary>
    /// The patients (id and name parts) de-identified slices have met, by job and patient: a slice of Observations
    /// meets the same patients as the slice of Conditions before it, and reading each Patient again per slice would
    /// cost as much as the slice itself.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Job, string Patient), AnonymizationSubject> _subjects = new();

    /// <summary>
    /// Starts a job: at Group level resolves the group's patients (its members, and the subjects of the studies its
    /// characteristics name). A group that does not exist fails the job.
    /// </summary>
    public async Task<ExportJob> StartAsync(ExportJob job, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (job.Request.Level != ExportLevel.Group)
        {
            return job with { Status = ExportJobStatus.InProgress, LastProgress = now };
        }

        if (await store.ReadAsync("Group", job.Request.GroupId!, cancellationToken) is not { IsDeleted: false } stored)
        {
            return job with { Status = ExportJobStatus.Failed, Error = $"There is no Group/{job.Request.GroupId}.", LastProgress = now };
        }

        var group = (Group)FhirJsonReader.ReadStored(stored.Json.Span);
        var patients = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var member in group.Member.Where(m => m.Inactive != true))
        {
            if (member.Entity?.Reference is { } reference && ReferenceValue.TryNormalize(reference, out var normalized) && normalized.StartsWith("Patient/", StringComparison.Ordinal))
            {
                patients.Add(normalized["Patient/".Length..]);
            }
        }

        // "The patients of cohort X": a characteristic whose value is the cohort's ResearchStudy.
        foreach (var characteristic in group.Characteristic.Where(c => c.Exclude != true))
        {
            if (characteristic.Value is ResourceReference { Reference: { } study } && ReferenceValue.TryNormalize(study, out var studyReference)
                && studyReference.StartsWith("ResearchStudy/", StringComparison.Ordinal))
            {
                await foreach (var subject in ReadAllAsync(new SearchQuery("ResearchSubject", [new SearchCriterion("study", [new TokenMatch(null, studyReference)])], null, [], options.PageSize), cancellationToken))
                {
                    var researchSubject = (ResearchSubject)FhirJsonReader.ReadStored(subject.Json.Span);
                    if (researchSubject.Individual?.Reference is { } individual && ReferenceValue.TryNormalize(individual, out var patient) && patient.StartsWith("Patient/", StringComparison.Ordinal))
                    {
                        patients.Add(patient["Patient/".Length..]);
                    }
                }
            }
        }

        return job with { Status = ExportJobStatus.InProgress, Patients = [.. patients], LastProgress = now };
    }

    /// <summary>
    /// Writes the next slice of a running job to <paramref name="output"/> and returns the job as it stands after it:
    /// the slice's file added (when it holds anything), and where the next one starts; Completed after the last.
    /// Running the same slice again (a worker died before recording it) rewrites the same file.
    /// </summary>
    public async Task<ExportJob> RunSliceAsync(ExportJob job, IExportOutput output, Anonymizer? anonymizer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (job.CurrentType is not { } type)
        {
            return job with { Status = ExportJobStatus.Completed, LastProgress = now };
        }

        var filters = Filters(job.Request, type);
        var query = filters[job.FilterIndex] with
        {
            LastUpdated = [.. filters[job.FilterIndex].LastUpdated, .. Window(job)],
            Count = options.PageSize,
            ContinuationToken = job.Continuation,
        };
        var earlierFilters = filters.Take(job.FilterIndex).ToList();
        var slice = new Slice(store, indexer, options, job, anonymizer, earlierFilters, _subjects);
        var fileName = $"{type}-{job.Output.Count(f => f.Type == type) + 1}.ndjson";
        string? next = null;
        await output.WriteAsync(fileName, async (stream, cancel) =>
        {
            next = await slice.WriteAsync(query, stream, cancel);
        }, cancellationToken);

        var written = job.Output;
        if (_subjects.Count > MaxCachedSubjects)
        {
            _subjects.Clear();
        }

        if (slice.Count > 0)
        {
            written = [.. written, new ExportFile(type, fileName, slice.Count)];
        }
        else
        {
            await output.DeleteAsync(fileName, cancellationToken);
        }

        var advanced = next is not null ? job with { Continuation = next }
            : job.FilterIndex + 1 < filters.Count ? job with { FilterIndex = job.FilterIndex + 1, Continuation = null }
            : job with { TypeIndex = job.TypeIndex + 1, FilterIndex = 0, Continuation = null };
        if (advanced.CurrentType is null)
        {
            foreach (var key in _subjects.Keys.Where(key => key.Job == job.Id))
            {
                _subjects.TryRemove(key, out _);
            }
        }

        return advanced with
        {
            Output = written,
            Exported = job.Exported + slice.Count,
            LastProgress = now,
            Status = advanced.CurrentType is null ? ExportJobStatus.Completed : ExportJobStatus.InProgress,
        };
    }

    /// <summary>The queries a type is read with: its <c>_typeFilter</c> queries, or one over the whole type.</summary>
    /// <exception cref="FormatException">A filter is not a search this server can run (checked at kick-off already).</exception>
    public IReadOnlyList<SearchQuery> Filters(ExportRequest request, string type)
    {
        if (!request.TypeFilters.TryGetValue(type, out var filters) || filters.Count == 0)
        {
            return [new SearchQuery(type, [], null, [], options.PageSize)];
        }

        return filters.Select(filter => ParseFilter(type, filter)).ToList();
    }

    /// <summary>A <c>_typeFilter</c> query ("code=http://loinc.org|69548-6&amp;status=final") as a search of the type.</summary>
    /// <exception cref="FormatException">Not a search this server can run; the message says why.</exception>
    public SearchQuery ParseFilter(string type, string query)
    {
        var parse = parser.Parse(type, FhirQuery.Parse(query), strict: true);
        if (parse.Error is { } error)
        {
            throw new FormatException(error.Outcome?.Issue.FirstOrDefault()?.Details?.Text ?? "Not a search this server can run.");
        }

        return parse.Query;
    }

    /// <summary>_since, and the job's transaction time: what changed after it belongs to the next export.</summary>
    private static IEnumerable<InstantBound> Window(ExportJob job)
    {
        if (job.Request.Since is { } since)
        {
            yield return new InstantBound(InstantComparator.GreaterThan, since);
        }

        yield return new InstantBound(InstantComparator.LessOrEqual, job.TransactionTime);
    }

    private async IAsyncEnumerable<ResourceVersion> ReadAllAsync(SearchQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = await store.SearchAsync(query with { ContinuationToken = token }, cancellationToken);
            foreach (var version in page.Resources)
            {
                yield return version;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    /// <summary>What a line of a file is made of: the stored JSON as it is, or a resource to serialise.</summary>
    private readonly record struct Line(ReadOnlyMemory<byte>? Stored, Resource? Resource);

    /// <summary>One slice's reading and writing.</summary>
    private sealed class Slice(
        IFhirStore store,
        SearchIndexer indexer,
        ExportOptions options,
        ExportJob job,
        Anonymizer? anonymizer,
        IReadOnlyList<SearchQuery> earlierFilters,
        System.Collections.Concurrent.ConcurrentDictionary<(string Job, string Patient), AnonymizationSubject> subjects)
    {
        // Text as FHIR JSON writes it (æøå and "+" unescaped): NDJSON files are data, never embedded in HTML.
        private readonly Utf8JsonWriter _writer = new(Stream.Null, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        private readonly HashSet<string>? _members = job.Patients is { } patients ? new HashSet<string>(patients, StringComparer.Ordinal) : null;

        public long Count { get; private set; }

        /// <summary>Writes up to a slice of the query's results; returns the continuation after the last one read, or null when the query is done.</summary>
        public async Task<string?> WriteAsync(SearchQuery query, Stream stream, CancellationToken cancellationToken)
        {
            var buffer = new ArrayBufferWriter<byte>(64 * 1024);
            var read = 0;
            var token = query.ContinuationToken;
            while (read < options.SliceSize)
            {
                var page = await store.SearchAsync(query with { ContinuationToken = token, Count = Math.Min(query.Count, options.SliceSize - read) }, cancellationToken);
                foreach (var version in page.Resources)
                {
                    if (await LineAsync(version, cancellationToken) is { } line)
                    {
                        if (line.Stored is { } stored)
                        {
                            buffer.Write(stored.Span);
                        }
                        else
                        {
                            // Serialised straight into the page's buffer: no string, no copy.
                            _writer.Reset(buffer);
                            Serializer.Serialize(line.Resource!, _writer);
                            _writer.Flush();
                        }

                        buffer.Write(NewLine);
                        Count++;
                    }
                }

                read += page.Resources.Count;
                await stream.WriteAsync(buffer.WrittenMemory, cancellationToken);
                buffer.ResetWrittenCount();
                token = page.ContinuationToken;
                if (token is null)
                {
                    return null;
                }
            }

            return token;
        }

        /// <summary>The NDJSON line of a version (its stored JSON, or the resource to write), or null when it is not part of the export.</summary>
        private async Task<Line?> LineAsync(ResourceVersion version, CancellationToken cancellationToken)
        {
            var level = job.Request.Level;

            // The stored JSON is written as is when nothing needs the resource parsed: a raw system export of a type
            // with one query. Stored JSON is compact, but a line break inside would break NDJSON, so that is checked.
            if (level == ExportLevel.System && anonymizer is null && earlierFilters.Count == 0 && version.Json.Span.IndexOf((byte)'\n') < 0)
            {
                return new Line(version.Json, null);
            }

            var resource = FhirJsonReader.ReadStored(version.Json.Span);
            if (earlierFilters.Count > 0)
            {
                var index = indexer.Index(resource);
                if (earlierFilters.Any(filter => filter.Matches(version, index)))
                {
                    return null;    // written by an earlier _typeFilter query of the same type
                }
            }

            var patients = level == ExportLevel.System && anonymizer is null ? [] : PatientCompartment.Default.PatientsOf(resource);
            if (level == ExportLevel.Patient && patients.Count == 0)
            {
                return null;
            }

            if (level == ExportLevel.Group && !patients.Any(_members!.Contains))
            {
                return null;
            }

            if (anonymizer is not null)
            {
                var subject = patients.Count == 0 ? AnonymizationSubject.None : await SubjectAsync(patients[0], resource as Patient, cancellationToken);
                resource = anonymizer.Anonymize(resource, subject);
            }

            return new Line(null, resource);
        }

        private async Task<AnonymizationSubject> SubjectAsync(string patientId, Patient? itself, CancellationToken cancellationToken)
        {
            if (subjects.TryGetValue((job.Id, patientId), out var known))
            {
                return known;
            }

            Patient? patient = itself;
            if (patient is null && await store.ReadAsync("Patient", patientId, cancellationToken) is { IsDeleted: false } stored)
            {
                patient = FhirJsonReader.ReadStored(stored.Json.Span) as Patient;
            }

            var subject = patient is not null ? AnonymizationSubject.Of(patient) : new AnonymizationSubject(patientId, []);
            subjects[(job.Id, patientId)] = subject;
            return subject;
        }
    }
}
