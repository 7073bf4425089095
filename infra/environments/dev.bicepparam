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

// Callers sign in at HelseID's test instance with SMART Backend Services; the app checks each token's issuer,
// audience and signature with HelseID's public keys and takes the caller's role from the lists below.
param helseIdAuthority = 'https://helseid-sts.test.nhn.no'
param fhirApiAudience = 'nhn:impress-fhir'
param fhirScopePrefix = 'nhn:impress-fhir/'

// By the organisation number HelseID puts in the token (the legal entity the client acts for). Each becomes
// Security__Organizations__<number>__Role (and __Region, __Name). The numbers beginning 00000000 are placeholders:
// no organisation has them, so nobody holds those roles until the real numbers are put in.
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
    organizationNumber: '000000001' // placeholder: Helse Vest RHF's organisation number
    role: 'regional-trust'
    region: 'helse-vest'
    name: 'Helse Vest RHF'
  }
  {
    organizationNumber: '000000002' // placeholder: the registry's organisation number
    role: 'registry'
    name: 'Registry'
  }
  {
    organizationNumber: '000000003' // placeholder: the trial office's organisation number
    role: 'trial-office'
    name: 'Trial office'
  }
]

// The Mol-MDT sits in a hospital: its client's tokens carry the host hospital's organisation number (993467049,
// that of Oslo universitetssykehus), so only the client id tells the board from the hospital. The client's role
// comes ahead of the organisation's. Becomes Security__Clients__0__ClientId and Security__Clients__0__Role.
param securityClients = [
  {
    clientId: '7d5c1a0e-0000-4000-8000-000000000001' // placeholder: the Mol-MDT's HelseID client id
    role: 'mol-mdt'
    name: 'Mol-MDT'
  }
]

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
    region: 'helse-sor-ost'
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
    region: 'helse-vest'
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
