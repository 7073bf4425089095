using System.Buffers;
using System.Net;
using Hl7.Fhir.Model;
using Impress.Fhir.Api.Interactions;
using Impress.Fhir.Fhir;
using Microsoft.AspNetCore.Http;

namespace Impress.Fhir.Api.Http;

/// <summary>Reads a FHIR JSON request body within the configured size limit.</summary>
public sealed class FhirRequestReader(FhirServerOptions options)
{
    private readonly FhirJsonReader _json = new(options.MaxStringBytes);

    /// <summary>Reads and parses the body; dispose the result when the interaction is done with its bytes.</summary>
    public async Task<RequestBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentType is { } contentType && !ContentNegotiation.IsJson(contentType))
        {
            throw new BadRequestException(FhirResult.Error(HttpStatusCode.UnsupportedMediaType, OperationOutcome.IssueType.NotSupported,
                $"Content-Type '{contentType}' is not supported; send FHIR JSON (application/fhir+json)."));
        }

        if (request.ContentLength > options.MaxRequestBodyBytes)
        {
            throw TooLarge(request);
        }

        var (buffer, length) = await ReadLimitedAsync(request, cancellationToken);
        try
        {
            return new RequestBody(buffer, length, _json.Read(buffer.AsSpan(0, length)));
        }
        catch (UnreadableDocumentException unreadable)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw new BadRequestException(FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Structure, unreadable.Message));
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>
    /// The body in a pooled buffer: report bundles are larger than the large object heap's threshold, and a fresh
    /// array for each would cost a full collection every few hundred requests.
    /// </summary>
    private async Task<(byte[] Buffer, int Length)> ReadLimitedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var stream = request.Body;

        // One byte past the limit is enough to know a body is too large; one past the declared length saves a copy
        // to find the end.
        var most = (int)Math.Min(options.MaxRequestBodyBytes + 1, Array.MaxLength);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength + 1 ?? 64 * 1024, most));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(2L * buffer.Length, most));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read;
                try
                {
                    read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
                }
                catch (Microsoft.AspNetCore.Http.BadHttpRequestException refused)
                {
                    // Kestrel's own limits (a chunked body past the size limit, a broken chunk) end the read.
                    throw refused.StatusCode == StatusCodes.Status413PayloadTooLarge
                        ? TooLarge(request)
                        : new BadRequestException(FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Structure, "The request body could not be read: " + refused.Message));
                }

                if (read == 0)
                {
                    return (buffer, length);
                }

                length += read;
                if (length > options.MaxRequestBodyBytes)
                {
                    throw TooLarge(request);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>
    /// The body is refused unread: the connection is closed after the answer, so that the client does not send its
    /// next request on a connection still carrying the rest of this body.
    /// </summary>
    private BadRequestException TooLarge(HttpRequest request)
    {
        request.HttpContext.Response.Headers.Connection = "close";
        return new(FhirResult.Error(HttpStatusCode.RequestEntityTooLarge, OperationOutcome.IssueType.TooCostly,
            $"The request body is larger than this server accepts ({options.MaxRequestBodyBytes:N0} bytes)."));
    }
}

/// <summary>A request body read into a pooled buffer, and the document parsed from it.</summary>
public sealed class RequestBody(byte[] buffer, int length, FhirDocument document) : IDisposable
{
    private byte[]? _buffer = buffer;

    public FhirDocument Document { get; } = document;

    /// <summary>The body as sent; valid until disposed.</summary>
    public ReadOnlyMemory<byte> Bytes => (_buffer ?? throw new ObjectDisposedException(nameof(RequestBody))).AsMemory(0, length);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } rented)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
