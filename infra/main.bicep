// Askel in one subscription: `azd up` (azure.yaml) provisions this and deploys the package that
// scripts/publish.sh builds. See docs/DEPLOY.md for the steps before and after.
//
//   resource group rg-<environment>
//     managed identity    the app's only identity: storage, Key Vault references, telemetry, Graph
//     storage account     tables and queues of the app, the host's blobs, the deployment container (no keys)
//     Key Vault (RBAC)    link secret, provider keys, Application Insights connection string
//     Log Analytics + Application Insights
//     Flex Consumption plan + function app (custom handler) with App Service authentication (Entra ID)
targetScope = 'subscription'

// ---- Where -------------------------------------------------------------------------------------

@minLength(1)
@maxLength(40)
@description('Name of the azd environment (e.g. askel-tampere-prod). Names the resource group (rg-<name>) and seeds the unique suffix of every resource name. Required.')
param environmentName string

@allowed([
  'swedencentral'
  'northeurope'
  'westeurope'
  'germanywestcentral'
  'francecentral'
  'italynorth'
  'polandcentral'
  'spaincentral'
])
@metadata({
  azd: {
    type: 'location'
  }
})
@description('Azure region of every resource. Only EU regions with the Flex Consumption plan are allowed, so personal data stays in the EU; Sweden Central is the nearest to Finland.')
param location string = 'swedencentral'

@description('Name of the resource group; empty means rg-<environmentName>.')
param resourceGroupName string = ''

@description('Public host name when a custom domain is bound to the app (e.g. askel.example.fi); empty uses the app\'s default *.azurewebsites.net name. Askel__PublicBaseUrl is derived from it, and Twilio signatures are checked against it.')
param publicHostName string = ''

@minValue(40)
@maxValue(1000)
@description('Most instances the Flex Consumption app may scale out to (40 is the lowest the plan allows).')
param maximumInstanceCount int = 40

@allowed([
  512
  2048
  4096
])
@description('Memory of each Flex Consumption instance in MB. 2048 fits the Functions host and Askel with room to spare.')
param instanceMemoryMB int = 2048

@allowed([
  'Standard_LRS'
  'Standard_ZRS'
])
@description('Replication of the storage account. ZRS keeps three copies in three zones of the same region; both stay in the region.')
param storageSku string = 'Standard_ZRS'

@minValue(30)
@maxValue(730)
@description('How many days Log Analytics keeps logs (30 are included in the ingestion price).')
param logRetentionInDays int = 30

@description('Purge protection on the Key Vault (recommended for production). With it on, a deleted vault\'s name stays taken for 90 days.')
param keyVaultPurgeProtection bool = true

// ---- Sign-in -----------------------------------------------------------------------------------

@minLength(36)
@maxLength(36)
@description('Application (client) id of the Entra app registration coordinators, managers and admins sign in with (docs/DEPLOY.md, "The app registration"). Required.')
param authClientId string

@description('Tenant of that app registration; empty means the subscription\'s tenant.')
param authTenantId string = ''

@secure()
@description('Client secret of that app registration, kept in Key Vault. Empty: sign-in uses ID tokens only (enable "ID tokens" on the registration).')
param authClientSecret string = ''

// ---- Links -------------------------------------------------------------------------------------

@secure()
@minLength(44)
@description('The secret form-link tokens are derived from: base64 of at least 32 random bytes (openssl rand -base64 32). Kept in Key Vault. Keep it for the life of the deployment: a new one invalidates every link already sent. Required.')
param linkSecret string

// ---- Messaging ---------------------------------------------------------------------------------

@allowed([
  'sendgrid'
  'graph'
  'outbox'
])
@description('Email provider: sendgrid, graph (Microsoft Graph, from a shared mailbox), or outbox (writes files on the instance\'s temporary disk and sends nothing: only for a trial). Required.')
param emailProvider string

@allowed([
  'twilio'
  'gateway'
  'outbox'
])
@description('SMS provider: twilio, gateway (an operator\'s HTTP gateway), or outbox (sends nothing: only for a trial). Required.')
param smsProvider string

@description('How long a message may keep failing passingly (429, 5xx, no answer) before the workflow sends it through the next channel (hh:mm:ss).')
param messagingGiveUpAfter string = '00:30:00'

@secure()
@description('SendGrid API key with Mail Send permission, kept in Key Vault. Required when emailProvider is sendgrid.')
param sendGridApiKey string = ''

@description('Sender address with SendGrid: a verified sender or an address of an authenticated domain. Required when emailProvider is sendgrid.')
param sendGridFrom string = ''

@description('Sender display name with SendGrid (e.g. the project\'s name); empty sends the address alone.')
param sendGridFromName string = ''

@description('Send through SendGrid\'s EU host (api.eu.sendgrid.com): the account or subuser must be pinned to EU data residency and the API key made there.')
param sendGridEuDataResidency bool = true

@secure()
@description('SendGrid\'s Signed Event Webhook verification key (base64 public key), kept in Key Vault. Empty: delivery reports from SendGrid are refused.')
param sendGridWebhookPublicKey string = ''

@description('With graph: the shared mailbox mail is sent from (address or object id). Required when emailProvider is graph.')
param graphMailbox string = ''

@description('With graph and a client secret: the client id of the app registration that sends mail. Empty: the app\'s managed identity sends (recommended; grant Mail.Send to it).')
param graphClientId string = ''

@secure()
@description('With graph: a client secret of graphClientId\'s app registration, kept in Key Vault. Empty uses the managed identity.')
param graphClientSecret string = ''

@description('With twilio: the account SID (AC...). Required when smsProvider is twilio.')
param twilioAccountSid string = ''

@secure()
@description('With twilio: the account\'s auth token, kept in Key Vault. Required when smsProvider is twilio.')
param twilioAuthToken string = ''

@description('With twilio: the SMS sender, an alphanumeric sender id registered with Traficom (e.g. Askel) or a Twilio number. Required when smsProvider is twilio.')
param twilioFrom string = ''

@description('With gateway: the gateway\'s send address (https). Required when smsProvider is gateway.')
param smsGatewayUrl string = ''

@secure()
@description('With gateway: the gateway\'s API key, kept in Key Vault. Required when smsProvider is gateway.')
param smsGatewayApiKey string = ''

@description('With gateway: the SMS sender (an alphanumeric sender id registered with Traficom, or a number). Required when smsProvider is gateway.')
param smsGatewayFrom string = ''

@secure()
@description('With gateway: the secret the gateway signs its callbacks with, kept in Key Vault. Required when smsProvider is gateway.')
param smsGatewayWebhookSecret string = ''

// ---- Names -------------------------------------------------------------------------------------

var token = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'askel'
}
var appName = 'func-askel-${token}'
var names = {
  resourceGroup: empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName
  identity: 'id-askel-${token}'
  storage: 'staskel${token}'
  keyVault: 'kv-askel-${token}'
  logAnalytics: 'log-askel-${token}'
  applicationInsights: 'appi-askel-${token}'
  plan: 'plan-askel-${token}'
  app: appName
  deploymentContainer: 'app-package-${token}'
}

// ---- Provider settings that depend on each other: a missing one fails the deployment and names it --

var required = {
  sendGridApiKey: emailProvider == 'sendgrid' && empty(sendGridApiKey)
    ? fail('Parameter sendGridApiKey (azd: ASKEL_SENDGRID_API_KEY) is required when emailProvider is sendgrid.')
    : true
  sendGridFrom: emailProvider == 'sendgrid' && empty(sendGridFrom)
    ? fail('Parameter sendGridFrom (azd: ASKEL_SENDGRID_FROM) is required when emailProvider is sendgrid: the verified sender address.')
    : true
  graphMailbox: emailProvider == 'graph' && empty(graphMailbox)
    ? fail('Parameter graphMailbox (azd: ASKEL_GRAPH_MAILBOX) is required when emailProvider is graph: the shared mailbox mail is sent from.')
    : true
  graphClientId: emailProvider == 'graph' && !empty(graphClientSecret) && empty(graphClientId)
    ? fail('Parameter graphClientId (azd: ASKEL_GRAPH_CLIENT_ID) is required when graphClientSecret is given (or leave the secret empty to use the managed identity).')
    : true
  twilioAccountSid: smsProvider == 'twilio' && empty(twilioAccountSid)
    ? fail('Parameter twilioAccountSid (azd: ASKEL_TWILIO_ACCOUNT_SID) is required when smsProvider is twilio.')
    : true
  twilioAuthToken: smsProvider == 'twilio' && empty(twilioAuthToken)
    ? fail('Parameter twilioAuthToken (azd: ASKEL_TWILIO_AUTH_TOKEN) is required when smsProvider is twilio.')
    : true
  twilioFrom: smsProvider == 'twilio' && empty(twilioFrom)
    ? fail('Parameter twilioFrom (azd: ASKEL_TWILIO_FROM) is required when smsProvider is twilio: the sender id or number.')
    : true
  smsGatewayUrl: smsProvider == 'gateway' && empty(smsGatewayUrl)
    ? fail('Parameter smsGatewayUrl (azd: ASKEL_SMS_GATEWAY_URL) is required when smsProvider is gateway.')
    : true
  smsGatewayApiKey: smsProvider == 'gateway' && empty(smsGatewayApiKey)
    ? fail('Parameter smsGatewayApiKey (azd: ASKEL_SMS_GATEWAY_API_KEY) is required when smsProvider is gateway.')
    : true
  smsGatewayFrom: smsProvider == 'gateway' && empty(smsGatewayFrom)
    ? fail('Parameter smsGatewayFrom (azd: ASKEL_SMS_GATEWAY_FROM) is required when smsProvider is gateway.')
    : true
  smsGatewayWebhookSecret: smsProvider == 'gateway' && empty(smsGatewayWebhookSecret)
    ? fail('Parameter smsGatewayWebhookSecret (azd: ASKEL_SMS_GATEWAY_WEBHOOK_SECRET) is required when smsProvider is gateway.')
    : true
}
var providerSettingsComplete = reduce(items(required), true, (all, item) => all && item.value)

// ---- Resources ---------------------------------------------------------------------------------

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    sku: storageSku
    deploymentContainerName: names.deploymentContainer
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  dependsOn: [
    monitoring
  ]
  params: {
    name: names.keyVault
    location: location
    tags: tags
    enablePurgeProtection: keyVaultPurgeProtection
    applicationInsightsName: names.applicationInsights
    linkSecret: linkSecret
    sendGridApiKey: emailProvider == 'sendgrid' ? sendGridApiKey : ''
    sendGridWebhookPublicKey: emailProvider == 'sendgrid' ? sendGridWebhookPublicKey : ''
    twilioAuthToken: smsProvider == 'twilio' ? twilioAuthToken : ''
    smsGatewayApiKey: smsProvider == 'gateway' ? smsGatewayApiKey : ''
    smsGatewayWebhookSecret: smsProvider == 'gateway' ? smsGatewayWebhookSecret : ''
    graphClientSecret: emailProvider == 'graph' ? graphClientSecret : ''
    authClientSecret: authClientSecret
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  scope: rg
  dependsOn: [
    storage
    keyVault
    monitoring
  ]
  params: {
    identityName: names.identity
    principalId: identity.outputs.principalId
    storageAccountName: names.storage
    keyVaultName: names.keyVault
    applicationInsightsName: names.applicationInsights
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  // The app resolves its Key Vault references and reaches storage as soon as it starts: roles first.
  dependsOn: [
    roles
  ]
  params: {
    planName: names.plan
    appName: names.app
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: names.storage
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: names.deploymentContainer
    keyVaultName: keyVault.outputs.name
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    publicHostName: publicHostName
    // Every check above is true or fails the deployment with its message; using them here makes ARM evaluate them.
    emailProvider: providerSettingsComplete ? emailProvider : fail('A provider setting is missing.')
    smsProvider: smsProvider
    messagingGiveUpAfter: messagingGiveUpAfter
    sendGridFrom: sendGridFrom
    sendGridFromName: sendGridFromName
    sendGridEuDataResidency: sendGridEuDataResidency
    hasSendGridWebhookPublicKey: !empty(sendGridWebhookPublicKey)
    graphMailbox: graphMailbox
    graphClientId: graphClientId
    graphTenantId: empty(authTenantId) ? tenant().tenantId : authTenantId
    hasGraphClientSecret: !empty(graphClientSecret)
    twilioAccountSid: twilioAccountSid
    twilioFrom: twilioFrom
    smsGatewayUrl: smsGatewayUrl
    smsGatewayFrom: smsGatewayFrom
    authClientId: authClientId
    authTenantId: empty(authTenantId) ? tenant().tenantId : authTenantId
    hasAuthClientSecret: !empty(authClientSecret)
  }
}

// ---- Outputs (azd keeps them in the environment; none is a secret) ------------------------------

@description('Region of the deployment.')
output AZURE_LOCATION string = location

@description('Tenant of the subscription.')
output AZURE_TENANT_ID string = tenant().tenantId

@description('Resource group holding everything.')
output AZURE_RESOURCE_GROUP string = rg.name

@description('Name of the function app.')
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name

@description('Public address of Askel (Askel__PublicBaseUrl).')
output ASKEL_PUBLIC_URL string = functionApp.outputs.publicBaseUrl

@description('Redirect URI to register on the Entra app registration (Web platform).')
output ASKEL_AUTH_REDIRECT_URI string = '${functionApp.outputs.publicBaseUrl}.auth/login/aad/callback'

@description('Name of the Key Vault holding the secrets.')
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name

@description('Name of the storage account.')
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name

@description('Client id of the app\'s managed identity.')
output ASKEL_IDENTITY_CLIENT_ID string = identity.outputs.clientId

@description('Object id of the app\'s managed identity: grant it Microsoft Graph Mail.Send when emailProvider is graph.')
output ASKEL_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
