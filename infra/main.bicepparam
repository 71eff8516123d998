// Development environment. Secrets come from the environment of the shell that deploys; an unset
// variable leaves that Key Vault secret to be managed out of band (docs/deploy.md).
using 'main.bicep'

param environmentName = 'dev'
param location = 'swedencentral'
param privateNetworking = false
param maximumInstanceCount = 40
param transactionsPartitionCount = 2
param rawToCoolAfterDays = 14
param quarantineRetentionDays = 30
param rawRetentionDays = 90
param dataverseUrl = readEnvironmentVariable('POS_HUB_DATAVERSE_URL', 'https://pos-hub-dev.crm4.dynamics.com')
param entraAudience = readEnvironmentVariable('POS_HUB_ENTRA_AUDIENCE', 'api://pos-hub-dev')
param defaultCurrency = 'EUR'
param defaultTimeZone = 'Europe/Stockholm'
// Per-store zone and currency, a JSON object in POS_HUB_STORES (docs/deploy.md); unset: {} (the defaults).
param stores = json(readEnvironmentVariable('POS_HUB_STORES', '{}'))

param pseudonymKey = readEnvironmentVariable('POS_HUB_PSEUDONYM_KEY', '')
param shopifyWebhookSecrets = readEnvironmentVariable('SHOPIFY_WEBHOOK_SECRETS', '')
param squareWebhookSignatureKeys = readEnvironmentVariable('SQUARE_WEBHOOK_SIGNATURE_KEYS', '')
param cloverAuthCodes = readEnvironmentVariable('CLOVER_AUTH_CODES', '')
param lightspeedWebhookSecrets = readEnvironmentVariable('LIGHTSPEED_WEBHOOK_SECRETS', '')
param squareAccessToken = readEnvironmentVariable('SQUARE_ACCESS_TOKEN', '')
param cloverApiTokens = readEnvironmentVariable('CLOVER_API_TOKENS', '')
param squareAccessTokens = readEnvironmentVariable('SQUARE_ACCESS_TOKENS', '')
param ingestKeys = readEnvironmentVariable('POS_HUB_INGEST_KEYS', '')
param adminKeys = readEnvironmentVariable('POS_HUB_ADMIN_KEYS', '')

// Alert recipients, comma-separated in POS_HUB_ALERT_EMAILS; unset or empty: no action group, the
// alerts show only in the portal (docs/deploy.md, Alerts).
param alertEmails = filter(map(split(readEnvironmentVariable('POS_HUB_ALERT_EMAILS', ''), ','), email => trim(email)), email => !empty(email))
