using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Impress.Fhir.Api.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>The signing algorithms a token may use: asymmetric ones only, so neither "none" nor a shared secret is ever accepted.</summary>
    public static readonly string[] SigningAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <summary>Tokens, roles, tenancy and rate limits, bound to the "Security" configuration section.</summary>
    public static IServiceCollection AddImpressSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section))
            .Validate(o => !o.RequiresTokens || !string.IsNullOrWhiteSpace(o.Audience), "Security:Audience names this server's API at the issuer.")
            .Validate(o => string.IsNullOrWhiteSpace(o.JwksFile) || !string.IsNullOrWhiteSpace(o.Issuer ?? o.Authority), "Security:JwksFile needs Security:Issuer, the issuer whose keys it holds.")
            .Validate(o => o.Organizations.Values.Concat(o.Clients).All(a => CallerRoles.TryParse(a.Role, out _)), $"Every Security:Organizations:<orgnr>:Role and Security:Clients:<n>:Role is one of {string.Join(", ", CallerRoles.Names)}.")
            .Validate(o => o.Clients.All(c => !string.IsNullOrWhiteSpace(c.ClientId)), "Every Security:Clients:<n> names its ClientId.");
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<SecurityOptions>>().Value);
        services.TryAddSingleton<CallerAuthenticator>();
        services.TryAddSingleton<ClientRateLimiter>();
        services.AddAuthentication().AddJwtBearer(CallerAuthenticator.Scheme, _ => { });
        services.AddOptions<JwtBearerOptions>(CallerAuthenticator.Scheme).Configure<SecurityOptions>(Configure);
        return services;
    }

    private static void Configure(JwtBearerOptions bearer, SecurityOptions security)
    {
        if (!security.RequiresTokens)
        {
            return;
        }

        // Claims keep the names the issuer gave them ("scope", "helseid://claims/...").
        bearer.MapInboundClaims = false;
        bearer.RequireHttpsMetadata = security.RequireHttpsMetadata;
        bearer.Audience = security.Audience;
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            // With an authority, the issuer its metadata names is trusted unless one is configured.
            ValidIssuer = security.Issuer ?? (string.IsNullOrWhiteSpace(security.JwksFile) ? null : security.Authority),
            ValidateAudience = true,
            ValidAudience = security.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = SigningAlgorithms,
            ClockSkew = TimeSpan.FromSeconds(30),
        };

        if (!string.IsNullOrWhiteSpace(security.JwksFile))
        {
            // A closed network: the keys are a file, and there is no metadata to fetch.
            var keys = new JsonWebKeySet(File.ReadAllText(security.JwksFile));
            bearer.Configuration = new OpenIdConnectConfiguration { Issuer = bearer.TokenValidationParameters.ValidIssuer };
            bearer.TokenValidationParameters.IssuerSigningKeys = keys.GetSigningKeys();
        }
        else
        {
            bearer.Authority = security.Authority;
        }
    }
}
