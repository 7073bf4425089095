namespace Impress.Fhir.Cli.Serve;

/// <summary>What <c>impress serve</c> was asked for on its command line.</summary>
/// <param name="Urls">Where Kestrel listens, as ASP.NET Core's --urls ("http://127.0.0.1:8080"; port 0 picks a free one).</param>
/// <param name="DataDirectory">The embedded store's folder.</param>
/// <param name="ProfilesDirectory">The IMPRESS package folder, or null for the one shipped with impress.</param>
/// <param name="Store">"sqlite" (the embedded store) or "azure" (Azure Storage, configured under Storage:Azure).</param>
/// <param name="Configuration">Further configuration as command-line arguments ("--Fhir:MaxBundleEntries=500").</param>
public sealed record ServeSettings(string Urls, string DataDirectory, string? ProfilesDirectory, string Store, IReadOnlyList<string> Configuration)
{
    public const string DefaultUrls = "http://127.0.0.1:8080";
    public const string DefaultDataDirectory = "data";
}
