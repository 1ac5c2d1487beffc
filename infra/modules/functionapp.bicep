// The function app: a Flex Consumption plan running Askel as a .NET isolated-worker Function App (the
// `askel.dll` worker that scripts/publish.sh builds, started by the Functions host, whose Durable extension
// runs the task hub in the app's storage account). Its app settings are the Askel settings of the README; every secret among them
// is a Key Vault reference, and App Service authentication (Entra ID) signs coordinators, managers and
// admins in before a request reaches the app.

@description('Name of the Flex Consumption plan.')
param planName string

@description('Name of the function app (also its default host name: <name>.azurewebsites.net).')
param appName string

@description('Azure region of the plan and the app.')
param location string

@description('Tags for the plan and the app (the app also gets azd-service-name).')
param tags object

@description('Resource id of the app\'s user-assigned managed identity.')
param identityId string

@description('Client id of the app\'s user-assigned managed identity.')
param identityClientId string

@description('Name of the storage account (tables, queues, host blobs, deployment container).')
param storageAccountName string

@description('Blob endpoint of the storage account.')
param storageBlobEndpoint string

@description('Blob container the package is deployed to.')
param deploymentContainerName string

@description('Name of the Key Vault the secrets are referenced from.')
param keyVaultName string

@description('Most instances the app may scale out to.')
param maximumInstanceCount int

@description('Memory of each instance, in MB.')
param instanceMemoryMB int

@description('Public host name of the app when a custom domain is bound; empty for the default host name.')
param publicHostName string

@description('Email provider: outbox, sendgrid or graph.')
param emailProvider string

@description('SMS provider: outbox, twilio or gateway.')
param smsProvider string

@description('How long a message may keep failing passingly before the next channel is used (hh:mm:ss).')
param messagingGiveUpAfter string

@description('Sender address with SendGrid.')
param sendGridFrom string

@description('Sender display name with SendGrid.')
param sendGridFromName string

@description('Send through SendGrid\'s EU host.')
param sendGridEuDataResidency bool

@description('Whether the SendGrid webhook verification key is in the vault.')
param hasSendGridWebhookPublicKey bool

@description('Shared mailbox mail is sent from with Microsoft Graph.')
param graphMailbox string

@description('Client id of the app registration that sends mail with a client secret; empty uses the managed identity.')
param graphClientId string

@description('Tenant of that app registration.')
param graphTenantId string

@description('Whether a Graph client secret is in the vault.')
param hasGraphClientSecret bool

@description('Twilio account SID.')
param twilioAccountSid string

@description('SMS sender with Twilio.')
param twilioFrom string

@description('Send address of the SMS gateway.')
param smsGatewayUrl string

@description('SMS sender with the gateway.')
param smsGatewayFrom string

@description('Client id of the Entra app registration App Service authentication signs users in with.')
param authClientId string

@description('Tenant of that app registration.')
param authTenantId string

@description('Whether the app registration\'s client secret is in the vault (otherwise sign-in uses ID tokens only).')
param hasAuthClientSecret bool

// Paths that never ask for sign-in: participants' form links carry their own token, providers' webhooks
// their own signatures, and the health probe says nothing private.
var anonymousPaths = [
  '/f/*'
  '/api/webhooks/*'
  '/api/health'
  '/coordinator/style.css' // the coordinator pages' style sheet: no data, and the sign-in refusal page needs it
]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'askel' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      // FUNCTIONS_WORKER_RUNTIME=dotnet-isolated: on Flex Consumption the runtime is set here, not as an app setting.
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
    }
  }
}

// Publishing with user names and passwords is off: azd deploys with Microsoft Entra tokens.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

var publicBaseUrl = empty(publicHostName) ? 'https://${app.properties.defaultHostName}/' : 'https://${publicHostName}/'

// The Functions host's storage, identity-based: no key or connection string anywhere.
var hostSettings = {
  AzureWebJobsStorage__accountName: storage.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=appinsights-connection-string)'
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

var askelSettings = {
  Askel__PublicBaseUrl: publicBaseUrl
  Askel__LinkSecret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=link-secret)'
  Askel__LocalSignIn: 'false'
  Askel__WorkflowsPath: 'workflows'
  Askel__DataPath: '/tmp/askel'
  Askel__Runtime__StoragePrefix: 'askel'
  // host.json names the task hub %Askel__Durable__TaskHub%: the host's Durable extension and Askel's client share it.
  Askel__Durable__TaskHub: 'askel'
  Askel__Messaging__Email: emailProvider
  Askel__Messaging__Sms: smsProvider
  Askel__Messaging__GiveUpAfter: messagingGiveUpAfter
  // Per instance and client address (App Service's X-Forwarded-For); an operator may change them in the portal.
  Askel__RateLimits__FormPostsPerMinute: '30'
  Askel__RateLimits__LinkOpensPerMinute: '120'
  Askel__RateLimits__WebhookCallsPerMinute: '1200'
}

var sendGridSettings = emailProvider != 'sendgrid'
  ? {}
  : {
      Askel__SendGrid__ApiKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=sendgrid-api-key)'
      Askel__SendGrid__From: sendGridFrom
      Askel__SendGrid__FromName: sendGridFromName
      Askel__SendGrid__EuDataResidency: sendGridEuDataResidency ? 'true' : 'false'
    }

var sendGridWebhookSettings = emailProvider != 'sendgrid' || !hasSendGridWebhookPublicKey
  ? {}
  : {
      Askel__SendGrid__WebhookPublicKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=sendgrid-webhook-public-key)'
    }

// Graph: the managed identity by default (Mail.Send granted to it); a client secret only when one is given.
// With another email provider the identity still reads projects' manager groups (GroupMember.Read.All).
var graphSettings = emailProvider != 'graph'
  ? {
      Askel__Graph__ClientId: identityClientId
    }
  : hasGraphClientSecret
      ? {
          Askel__Graph__Mailbox: graphMailbox
          Askel__Graph__TenantId: graphTenantId
          Askel__Graph__ClientId: graphClientId
          Askel__Graph__ClientSecret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=graph-client-secret)'
        }
      : {
          Askel__Graph__Mailbox: graphMailbox
          Askel__Graph__ClientId: identityClientId
        }

var twilioSettings = smsProvider != 'twilio'
  ? {}
  : {
      Askel__Twilio__AccountSid: twilioAccountSid
      Askel__Twilio__AuthToken: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=twilio-auth-token)'
      Askel__Twilio__From: twilioFrom
    }

var gatewaySettings = smsProvider != 'gateway'
  ? {}
  : {
      Askel__SmsGateway__Url: smsGatewayUrl
      Askel__SmsGateway__ApiKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=sms-gateway-api-key)'
      Askel__SmsGateway__From: smsGatewayFrom
      Askel__SmsGateway__WebhookSecret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=sms-gateway-webhook-secret)'
    }

var authSettings = !hasAuthClientSecret
  ? {}
  : {
      MICROSOFT_PROVIDER_AUTHENTICATION_SECRET: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=auth-client-secret)'
    }

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: union(
    hostSettings,
    askelSettings,
    sendGridSettings,
    sendGridWebhookSettings,
    graphSettings,
    twilioSettings,
    gatewaySettings,
    authSettings
  )
}

// App Service authentication with Microsoft Entra ID: everything asks for sign-in except the anonymous
// paths above. The app reads the signed-in user from X-MS-CLIENT-PRINCIPAL (trusted because the platform
// sets WEBSITE_AUTH_ENABLED=True) and decides by app role and project (docs/DEPLOY.md).
resource auth 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'authsettingsV2'
  dependsOn: [
    appSettings
  ]
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'RedirectToLoginPage'
      redirectToProvider: 'azureactivedirectory'
      excludedPaths: anonymousPaths
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          openIdIssuer: '${environment().authentication.loginEndpoint}${authTenantId}/v2.0'
          clientId: authClientId
          clientSecretSettingName: hasAuthClientSecret ? 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET' : null
        }
        validation: {
          allowedAudiences: [
            'api://${authClientId}'
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
      preserveUrlFragmentsForLogins: false
    }
    httpSettings: {
      requireHttps: true
      forwardProxy: {
        convention: 'NoProxy'
      }
    }
  }
}

@description('Name of the function app.')
output name string = app.name

@description('Public address of the app, the same value as Askel__PublicBaseUrl.')
output publicBaseUrl string = publicBaseUrl

@description('Default host name of the app.')
output defaultHostName string = app.properties.defaultHostName
