using System.Text;
using Impress.Fhir.Storage.Azure;
using Impress.Fhir.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Impress.Fhir.Functions.Tests;

/// <summary>
/// The function classes as the Functions host builds them (the app's own service registration) over Azurite, called
/// directly with ASP.NET Core requests: the host itself (the Core Tools) is not something a test can run here.
/// </summary>
public class FunctionsFixture : IAsyncLifetime
{
    private Azurite _azurite = null!;

    public ServiceProvider Services { get; private set; } = null!;

    public FhirFunction Fhir => ActivatorUtilities.CreateInstance<FhirFunction>(Services);

    public SweepFunction Sweep => ActivatorUtilities.CreateInstance<SweepFunction>(Services);

    public DeliverFunction Deliver => ActivatorUtilities.CreateInstance<DeliverFunction>(Services);

    public ExportsFunction Exports => ActivatorUtilities.CreateInstance<ExportsFunction>(Services);

    /// <summary>The queue-triggered functions, as the host would run them on the Azurite queues.</summary>
    public QueueTriggerHost Queues { get; private set; } = null!;

    public AzureFhirStore Store => Services.GetRequiredService<AzureFhirStore>();

    /// <summary>The EHR of Oslo universitetssykehus (the example report's hospital), where the app publishes.</summary>
    public FakeEhr Ehr { get; } = new();

    public async Task InitializeAsync()
    {
        _azurite = await Azurite.StartAsync();
        // The account is this fixture's own, so the store takes the prefix the queue triggers listen on.
        var name = StageTrigger.QueuePrefix;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{AzureStoreOptions.Section}:ConnectionString"] = _azurite.ConnectionString,
            [$"{AzureStoreOptions.Section}:TablePrefix"] = name,
            [$"{AzureStoreOptions.Section}:ContainerName"] = name,
            ["Validation:ProfilesDirectory"] = RepositoryPaths.Profiles,
            ["Matching:SeedCatalog"] = "example",
            ["Publishing:Hospitals:0:Name"] = "OUS",
            ["Publishing:Hospitals:0:OrganizationNumbers:0"] = "993467049",
            ["Publishing:Hospitals:0:FhirBaseUrl"] = Ehr.FhirBase.ToString(),
            ["Publishing:Hospitals:0:Region"] = "helse-sor-ost",
            ["Subscriptions:BaseUrl"] = "https://impress-func.azurewebsites.net/fhir",
            ["Subscriptions:RetryDelay"] = "00:00:00.100",
            ["Subscriptions:MaxRetryDelay"] = "00:00:01",
            ["Publishing:RetriesPerAttempt"] = "0",
            ["Publishing:RedeliveryDelay"] = "00:00:00.200",
            ["Pipeline:MaxDequeueCount"] = "3",
            ["Matching:CatalogRefreshInterval"] = "00:00:01",

            // In Azure these are Key Vault references; here, a test's own.
            ["Export:Keys:CryptoHashKey"] = "functions-test-pseudonym-key-0123456789",
            ["Export:Keys:DateShiftKey"] = "functions-test-date-shift-key-0123456789",
            ["Export:Keys:EncryptKey"] = "0123456789abcdef0123456789abcdef",
            ["Export:SliceSize"] = "10",

            // Short, so the sweeper test need not wait minutes; only that test sweeps, and this class's tests run one at a time.
            [$"{AzureStoreOptions.Section}:AbandonedCommitAge"] = "00:00:01",
        }).AddInMemoryCollection(Settings()).Build();
        Services = new ServiceCollection().AddLogging().AddImpressFunctions(configuration).BuildServiceProvider();
        Queues = new QueueTriggerHost(_azurite.ConnectionString, Services);
    }

    /// <summary>More app settings, for a fixture of another configuration.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings() => [];

    public virtual async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        await _azurite.DisposeAsync();
        Ehr.Dispose();
    }

    /// <summary>Sends one request through the HTTP function and returns the response (status, headers, body).</summary>
    public async Task<FunctionResponse> SendAsync(string method, string pathAndQuery, string? body = null, string contentType = "application/fhir+json", IDictionary<string, string>? headers = null)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        var request = context.Request;
        request.Method = method;
        request.Scheme = "https";
        request.Host = new HostString("impress-func.azurewebsites.net");
        var question = pathAndQuery.IndexOf('?');
        request.Path = "/fhir/" + (question < 0 ? pathAndQuery : pathAndQuery[..question]);
        request.QueryString = question < 0 ? QueryString.Empty : new QueryString(pathAndQuery[question..]);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers[name] = value;
        }

        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            request.ContentType = contentType;
            request.ContentLength = bytes.Length;
            request.Body = new MemoryStream(bytes);
        }

        var responseBody = new MemoryStream();
        context.Response.Body = responseBody;
        var path = question < 0 ? pathAndQuery : pathAndQuery[..question];
        await Fhir.RunAsync(request, path);
        return new FunctionResponse(context.Response.StatusCode, context.Response.Headers, Encoding.UTF8.GetString(responseBody.ToArray()));
    }
}

public sealed record FunctionResponse(int Status, IHeaderDictionary Headers, string Body);
