// Key Vault in RBAC mode holding every secret the app reads. The function app reads them through Key
// Vault references (@Microsoft.KeyVault(...) app settings) with its user-assigned identity, which gets
// only "Key Vault Secrets User" on this vault (see roles.bicep). A secret whose value is empty is not
// written: its setting is then left out of the app settings as well (see functionapp.bicep).

@description('Name of the Key Vault (3-24 letters, digits and hyphens).')
param name string

@description('Azure region of the vault.')
param location string

@description('Tags for the vault.')
param tags object

@description('Turn on purge protection: a deleted vault and its secrets cannot be purged during the retention period.')
param enablePurgeProtection bool

@description('Name of the Application Insights component whose connection string is kept here.')
param applicationInsightsName string

@secure()
@description('The link-signing secret (Askel__LinkSecret).')
param linkSecret string

@secure()
@description('SendGrid API key (Askel__SendGrid__ApiKey); empty when SendGrid is not used.')
param sendGridApiKey string

@secure()
@description('SendGrid signed event webhook verification key (Askel__SendGrid__WebhookPublicKey); may be empty.')
param sendGridWebhookPublicKey string

@secure()
@description('Twilio auth token (Askel__Twilio__AuthToken); empty when Twilio is not used.')
param twilioAuthToken string

@secure()
@description('SMS gateway API key (Askel__SmsGateway__ApiKey); empty when the gateway is not used.')
param smsGatewayApiKey string

@secure()
@description('SMS gateway callback signing secret (Askel__SmsGateway__WebhookSecret); empty when the gateway is not used.')
param smsGatewayWebhookSecret string

@secure()
@description('Microsoft Graph client secret (Askel__Graph__ClientSecret); empty to use the managed identity.')
param graphClientSecret string

@secure()
@description('Client secret of the Entra app registration for App Service authentication; empty for ID-token sign-in.')
param authClientSecret string

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource linkSecretValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'link-secret'
  properties: {
    value: linkSecret
    contentType: 'base64 of at least 32 random bytes'
  }
}

resource appInsightsConnection 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'appinsights-connection-string'
  properties: {
    value: appInsights.properties.ConnectionString
  }
}

resource sendGridApiKeyValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(sendGridApiKey)) {
  parent: vault
  name: 'sendgrid-api-key'
  properties: {
    value: sendGridApiKey
  }
}

resource sendGridWebhookKeyValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(sendGridWebhookPublicKey)) {
  parent: vault
  name: 'sendgrid-webhook-public-key'
  properties: {
    value: sendGridWebhookPublicKey
  }
}

resource twilioAuthTokenValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(twilioAuthToken)) {
  parent: vault
  name: 'twilio-auth-token'
  properties: {
    value: twilioAuthToken
  }
}

resource smsGatewayApiKeyValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(smsGatewayApiKey)) {
  parent: vault
  name: 'sms-gateway-api-key'
  properties: {
    value: smsGatewayApiKey
  }
}

resource smsGatewayWebhookSecretValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(smsGatewayWebhookSecret)) {
  parent: vault
  name: 'sms-gateway-webhook-secret'
  properties: {
    value: smsGatewayWebhookSecret
  }
}

resource graphClientSecretValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(graphClientSecret)) {
  parent: vault
  name: 'graph-client-secret'
  properties: {
    value: graphClientSecret
  }
}

resource authClientSecretValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(authClientSecret)) {
  parent: vault
  name: 'auth-client-secret'
  properties: {
    value: authClientSecret
  }
}

@description('Name of the vault.')
output name string = vault.name

@description('Resource id of the vault.')
output id string = vault.id
