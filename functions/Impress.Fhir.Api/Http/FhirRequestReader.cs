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

    public async Task<(ReadOnlyMemory<byte> Body, FhirDocument Document)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
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

        var body = await ReadLimitedAsync(request, cancellationToken);
        try
        {
            return (body, _json.Read(body.Span));
        }
        catch (UnreadableDocumentException unreadable)
        {
            throw new BadRequestException(FhirResult.Error(HttpStatusCode.BadRequest, OperationOutcome.IssueType.Structure, unreadable.Message));
        }
    }

    private async Task<ReadOnlyMemory<byte>> ReadLimitedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var stream = request.Body;
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        while (true)
        {
            var memory = buffer.GetMemory(64 * 1024);
            int read;
            try
            {
                read = await stream.ReadAsync(memory, cancellationToken);
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
                return buffer.WrittenMemory;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > options.MaxRequestBodyBytes)
            {
                throw TooLarge(request);
            }
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
