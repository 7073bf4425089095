// Who may call the FHIR server (configuration section Security, see
// functions/Impress.Fhir.Api/Security/SecurityOptions.cs) and how the organisations and clients become app settings
// of the Function App. Nothing here is secret: HelseID signs its tokens, and the app checks them with HelseID's
// public keys.

@export()
@description('What a caller is to the trial, and so what its clients may do (the names CallerRoles reads).')
type callerRole = 'hospital' | 'mol-mdt' | 'regional-trust' | 'registry' | 'trial-office'

@export()
@description('A regional health trust, named as the hospital routes and a careplan-update Subscription\'s region filter name it.')
type healthRegion = 'helse-sor-ost' | 'helse-vest' | 'helse-midt-norge' | 'helse-nord'

@export()
@description('An organisation that may call, by the organisation number its tokens carry (Security:Organizations:<number>).')
type organizationAccess = {
  @description('The organisation number (Enhetsregisteret), nine digits: the legal entity HelseID names in the token.')
  @minLength(9)
  @maxLength(9)
  organizationNumber: string

  @description('What the organisation is to the trial.')
  role: callerRole

  @description('A regional health trust\'s region, the only one it may subscribe to.')
  region: healthRegion?

  @description('A display name for audit records.')
  name: string?
}

@export()
@description('One client whose role comes ahead of its organisation\'s (Security:Clients:<n>:ClientId and the rest).')
type clientAccess = {
  @description('The client id HelseID puts in the token\'s client_id claim.')
  @minLength(1)
  clientId: string

  @description('What the client is to the trial.')
  role: callerRole

  @description('A regional health trust\'s region, the only one it may subscribe to.')
  region: healthRegion?

  @description('A display name for audit records.')
  name: string?
}

@description('The app settings (name and value; a null value means not set) of one organisation or client under prefix.')
func accessSettings(prefix string, role string, region string?, name string?) object[] => [
  { name: '${prefix}__Role', value: role }
  { name: '${prefix}__Region', value: region }
  { name: '${prefix}__Name', value: name }
]

@export()
@description('The app settings ({ name, value } items of siteConfig.appSettings) of the organisations and clients that may call.')
func securityAppSettings(organizations organizationAccess[], clients clientAccess[]) object[] =>
  filter(
    flatten(concat(
      map(
        organizations,
        organization =>
          accessSettings(
            'Security__Organizations__${organization.organizationNumber}',
            organization.role,
            organization.?region,
            organization.?name
          )
      ),
      // Clients are numbered: a client id is a GUID, and a setting name cannot hold its hyphens.
      map(
        range(0, length(clients)),
        i =>
          concat(
            [{ name: 'Security__Clients__${i}__ClientId', value: clients[i].clientId }],
            accessSettings('Security__Clients__${i}', clients[i].role, clients[i].?region, clients[i].?name)
          )
      )
    )),
    setting => setting.value != null
  )
