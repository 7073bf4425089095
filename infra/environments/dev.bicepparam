// The development environment: locally redundant storage, a small scale-out limit, no purge protection (the vault
// can be removed and recreated), and test EHRs.
using '../main.bicep'

param baseName = 'impress'
param environmentName = 'dev'
param storageSku = 'Standard_LRS'
param blobDeleteRetentionDays = 7
param exportsDeleteAfterDays = 7
param maximumInstanceCount = 40
param instanceMemoryMB = 2048
param logRetentionInDays = 30
param keyVaultSoftDeleteRetentionInDays = 7
param enablePurgeProtection = false
param molMdtOrganizationNumber = '993467049'
param tags = {
  owner: 'impress-norway'
}

// Each route becomes Publishing:Hospitals:<n>:... app settings. Secrets are given as the names of Key Vault secrets
// (set them with az keyvault secret set, see infra/README.md) and become Key Vault references, e.g.
// Publishing__Hospitals__0__Authentication__ClientSecret = @Microsoft.KeyVault(VaultName=<vault>;SecretName=ous-test-client-secret)
param hospitalRoutes = [
  {
    name: 'OUS-test'
    organizationNumbers: [
      '993467049'
    ]
    fhirBaseUrl: 'https://ehr-test.ous.example/fhir'
    authentication: {
      method: 'ClientSecret'
      tokenEndpoint: 'https://ehr-test.ous.example/oauth2/token'
      clientId: 'impress-dev'
      scope: 'system/CarePlan.cu system/ResearchStudy.cu system/ResearchSubject.cu'
      clientSecretName: 'ous-test-client-secret'
    }
  }
  {
    name: 'HUS-test'
    organizationNumbers: [
      '983974724'
    ]
    reshIds: [
      '100320'
    ]
    fhirBaseUrl: 'https://ehr-test.hus.example/fhir/r4'
    authentication: {
      method: 'PrivateKeyJwt'
      tokenEndpoint: 'https://ehr-test.hus.example/auth/token'
      clientId: 'impress-dev'
      scope: 'system/CarePlan.cu system/ResearchStudy.cu system/ResearchSubject.cu'
      keyId: 'impress-dev-2025'
      algorithm: 'RS384'
      privateKeySecretName: 'hus-test-private-key'
    }
  }
]
