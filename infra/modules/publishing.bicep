// The publisher's hospital routes (configuration section Publishing:Hospitals, see
// functions/Impress.Fhir.Api/Publishing/PublishingOptions.cs) and how they become app settings of the Function App.
// Secrets are never given here: a route names the Key Vault secrets that hold them, and each becomes a Key Vault
// reference the platform resolves with the app's identity.

@export()
@description('How the server authenticates to a hospital EHR. Secrets are names of secrets in the Key Vault, never values.')
type hospitalAuthentication = {
  @description('None, Bearer (a static token), ClientSecret (OAuth2 client credentials) or PrivateKeyJwt (SMART Backend Services).')
  method: 'None' | 'Bearer' | 'ClientSecret' | 'PrivateKeyJwt'

  @description('The OAuth2 token endpoint (methods ClientSecret and PrivateKeyJwt).')
  tokenEndpoint: string?

  @description('The OAuth2 client id (methods ClientSecret and PrivateKeyJwt).')
  clientId: string?

  @description('The scopes requested, space separated.')
  scope: string?

  @description('The key id ("kid") the token endpoint knows the public key by (method PrivateKeyJwt).')
  keyId: string?

  @description('The signing algorithm of the client assertion (method PrivateKeyJwt).')
  algorithm: ('RS384' | 'ES384')?

  @description('The name of the Key Vault secret holding the client secret (method ClientSecret).')
  clientSecretName: string?

  @description('The name of the Key Vault secret holding the PEM private key (method PrivateKeyJwt).')
  privateKeySecretName: string?

  @description('The name of the Key Vault secret holding the static bearer token (method Bearer).')
  bearerTokenSecretName: string?
}

@export()
@description('One hospital EHR the publisher delivers to: which organisations it serves, its FHIR base and how to sign in there.')
type hospitalRoute = {
  @description('A name for logs and delivery records (never a patient\'s data).')
  name: string

  @description('Organisation numbers (urn:oid:2.16.578.1.12.4.1.4.101) routed here.')
  organizationNumbers: string[]

  @description('RESH ids (urn:oid:2.16.578.1.12.4.1.4.102) routed here.')
  reshIds: string[]?

  @description('The EHR\'s FHIR base URL.')
  fhirBaseUrl: string

  @description('The regional health trust the hospital belongs to: what a careplan-update Subscription\'s region filter matches, and what a trust may subscribe to.')
  region: ('helse-sor-ost' | 'helse-vest' | 'helse-midt-norge' | 'helse-nord')?

  @description('How to authenticate to the EHR.')
  authentication: hospitalAuthentication
}

@export()
@description('An app setting value that the platform resolves from the Key Vault with the site\'s Key Vault reference identity.')
func keyVaultReference(vaultName string, secretName string) string =>
  '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=${secretName})'

@description('The app settings (name and value; a null value means not set) of one route, at position index of Publishing:Hospitals.')
func routeSettings(route hospitalRoute, index int, vaultName string) object[] =>
  flatten([
    [
      { name: 'Publishing__Hospitals__${index}__Name', value: route.name }
      { name: 'Publishing__Hospitals__${index}__FhirBaseUrl', value: route.fhirBaseUrl }
      { name: 'Publishing__Hospitals__${index}__Region', value: route.?region }
      { name: 'Publishing__Hospitals__${index}__Authentication__Method', value: route.authentication.method }
      {
        name: 'Publishing__Hospitals__${index}__Authentication__TokenEndpoint'
        value: route.authentication.?tokenEndpoint
      }
      { name: 'Publishing__Hospitals__${index}__Authentication__ClientId', value: route.authentication.?clientId }
      { name: 'Publishing__Hospitals__${index}__Authentication__Scope', value: route.authentication.?scope }
      { name: 'Publishing__Hospitals__${index}__Authentication__KeyId', value: route.authentication.?keyId }
      { name: 'Publishing__Hospitals__${index}__Authentication__Algorithm', value: route.authentication.?algorithm }
      {
        name: 'Publishing__Hospitals__${index}__Authentication__ClientSecret'
        value: empty(route.authentication.?clientSecretName)
          ? null
          : keyVaultReference(vaultName, route.authentication.?clientSecretName ?? '')
      }
      {
        name: 'Publishing__Hospitals__${index}__Authentication__PrivateKeyPem'
        value: empty(route.authentication.?privateKeySecretName)
          ? null
          : keyVaultReference(vaultName, route.authentication.?privateKeySecretName ?? '')
      }
      {
        name: 'Publishing__Hospitals__${index}__Authentication__BearerToken'
        value: empty(route.authentication.?bearerTokenSecretName)
          ? null
          : keyVaultReference(vaultName, route.authentication.?bearerTokenSecretName ?? '')
      }
    ]
    map(
      route.organizationNumbers,
      (number, i) => { name: 'Publishing__Hospitals__${index}__OrganizationNumbers__${i}', value: number }
    )
    map(route.?reshIds ?? [], (id, i) => { name: 'Publishing__Hospitals__${index}__ReshIds__${i}', value: id })
  ])

@export()
@description('The app settings ({ name, value } items of siteConfig.appSettings) of the hospital routes, secrets as Key Vault references to the vault named.')
func hospitalAppSettings(routes hospitalRoute[], vaultName string) object[] =>
  filter(
    flatten(map(routes, (route, index) => routeSettings(route, index, vaultName))),
    setting => setting.value != null
  )
