// Production: zone-redundant storage, purge protection on the Key Vault (it cannot be turned off again), longer
// retention of logs and deleted blobs.
using '../main.bicep'

param baseName = 'impress'
param environmentName = 'prod'
param storageSku = 'Standard_ZRS'
param blobDeleteRetentionDays = 30
param exportsDeleteAfterDays = 7
param maximumInstanceCount = 100
param instanceMemoryMB = 2048
param logRetentionInDays = 90
param keyVaultSoftDeleteRetentionInDays = 90
param enablePurgeProtection = true
param molMdtOrganizationNumber = '993467049'
param tags = {
  owner: 'impress-norway'
}

// Callers sign in at HelseID (production) with SMART Backend Services; the app checks each token's issuer,
// audience and signature with HelseID's public keys and takes the caller's role from the lists below.
param helseIdAuthority = 'https://helseid-sts.nhn.no'
param fhirApiAudience = 'nhn:impress-fhir'
param fhirScopePrefix = 'nhn:impress-fhir/'

// By the organisation number HelseID puts in the token (the legal entity the client acts for); see infra/README.md
// for adding a hospital. PLACEHOLDER entries (numbers beginning 00000000, which no organisation has) are for the
// operator to replace with the real organisation numbers before the roles are relied on.
param securityOrganizations = [
  {
    organizationNumber: '993467049'
    role: 'hospital'
    name: 'Oslo universitetssykehus HF'
  }
  {
    organizationNumber: '983974724'
    role: 'hospital'
    name: 'Helse Bergen HF'
  }
  {
    organizationNumber: '000000001' // PLACEHOLDER: the regional health trust's organisation number
    role: 'regional-trust'
    region: 'helse-vest'
    name: 'Helse Vest RHF'
  }
  {
    organizationNumber: '000000002' // PLACEHOLDER: the registry's organisation number
    role: 'registry'
    name: 'Registry'
  }
  {
    organizationNumber: '000000003' // PLACEHOLDER: the trial office's organisation number
    role: 'trial-office'
    name: 'Trial office'
  }
]

// The Mol-MDT's client acts for the hospital that hosts the board, so its tokens carry that hospital's
// organisation number; its client id alone tells it apart, and the client's role comes ahead of the hospital's.
// Becomes Security__Clients__0__ClientId and Security__Clients__0__Role.
param securityClients = [
  {
    clientId: '00000000-0000-4000-8000-000000000000' // PLACEHOLDER: the Mol-MDT's HelseID client id
    role: 'mol-mdt'
    name: 'Mol-MDT'
  }
]

// The hospitals' EHRs. Put each secret into the vault first (az keyvault secret set, see infra/README.md) and give
// its name here, never its value. A route signing in with a private key (SMART Backend Services):
//
//   {
//     name: 'OUS'
//     organizationNumbers: [ '993467049' ]
//     fhirBaseUrl: 'https://<the EHR\'s FHIR base>'
//     authentication: {
//       method: 'PrivateKeyJwt'
//       tokenEndpoint: 'https://<the EHR\'s token endpoint>'
//       clientId: '<the client id the EHR gave>'
//       scope: 'system/CarePlan.cu system/ResearchStudy.cu system/ResearchSubject.cu'
//       keyId: '<the kid of the registered public key>'
//       privateKeySecretName: 'ous-private-key'
//     }
//   }
//
// and with a client secret: method 'ClientSecret' and clientSecretName: 'ous-client-secret'.
param hospitalRoutes = []
