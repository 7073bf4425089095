namespace Impress.Fhir.Infra.Tests;

/// <summary><c>bicep build infra/main.bicep</c>, run once for the tests that read the ARM JSON it compiles to.</summary>
public sealed class CompiledMain : IAsyncLifetime
{
    public const string MainFile = "infra/main.bicep";

    private ArmTemplate? _template;

    public BicepResult Build { get; private set; } = new(-1, "", "");

    public ArmTemplate Template => _template ?? throw new InvalidOperationException($"{MainFile} did not compile: {Build.Diagnostics}");

    public async Task InitializeAsync()
    {
        Build = await Bicep.RunAsync("build", MainFile, "--stdout");
        if (Build.ExitCode == 0)
        {
            _template = ArmTemplate.Parse(Build.Output);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
