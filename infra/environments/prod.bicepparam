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
