// Log alert rules on the hub's operation events (shared/platform/operationEvents.ts, docs/operations.md),
// on the Durable Functions extension's own tracking events and on the HTTP endpoints' 5xx answers,
// scoped to the Application Insights component, so the queries read its `traces` and `requests` tables.
// docs/deploy.md ("Alerts") says what each rule means and what to do.
//
// Every query returns one row per thing to look at (a failed batch, a failed orchestration instance, a
// dead letter, a 5xx request), or one summary row when a threshold is crossed, and fires on a row count
// above 0. Each keeps a `timestamp` column so the alert service can bin the rows by time. The event
// names are written out as in OPERATION_EVENTS: test/infra/bicep.test.ts fails when the code renames one.
param baseName string
param location string
param tags object
@description('Resource id of the Application Insights component the rules query.')
param appInsightsId string
@description('Addresses to email when a rule fires; empty: no action group, the alerts show only in the portal.')
param alertEmails string[]
@description('Turns every rule on or off.')
param alertsEnabled bool
@description('Share of a batch hour\'s transactions quarantined, in percent, above which the quarantine rule fires; 0 disables that rule.')
@minValue(0)
@maxValue(100)
param quarantineAlertPercent int

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmails)) {
  name: 'ag-${baseName}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: take(baseName, 12)
    enabled: true
    emailReceivers: [
      for (email, i) in alertEmails: {
        name: 'email-${i}'
        emailAddress: email
        useCommonAlertSchema: true
      }
    ]
  }
}

// One line per batch run, its figures pulled out of the message. An activity can run twice, so the
// rules that add figures keep the last line of each batch (arg_max).
var batchOutcomes = '''
traces
| where message startswith "pos-hub.batch-outcome "
| extend batch = extract(@"\bbatch=(\S+)", 1, message),
    source = extract(@"\bsource=(\S+)", 1, message),
    status = extract(@"\bstatus=(\w+)", 1, message),
    transactions = toint(extract(@"\btransactions=(\d+)", 1, message)),
    quarantined = toint(extract(@"\bquarantined=(\d+)", 1, message)),
    dataverseFailed = toint(extract(@"\bdataverseFailed=(\d+)", 1, message))
'''

var rules = [
  {
    name: 'batches-failed'
    displayName: 'POS Hub: batches failed'
    description: 'A batch ended with status=failed in the last 15 minutes. The query results give the batch ids: GET /api/v1/batches/{batchId} for its findings, and the function app\'s traces and exceptions for the error. Fix the cause, then `pos-hub replay --batch <id>` runs it again (its raw payload is kept). See docs/deploy.md (Alerts) and docs/operations.md.'
    severity: 1
    windowSize: 'PT15M'
    evaluationFrequency: 'PT5M'
    enabled: alertsEnabled
    // One row per failed batch, however often it ran.
    query: $'''${batchOutcomes}| where status == "failed"
| summarize timestamp = max(timestamp) by batch, source
'''
  }
  {
    name: 'quarantine-share'
    displayName: 'POS Hub: quarantined transactions'
    description: 'More than ${quarantineAlertPercent}% of the transactions of the last hour\'s batches went to quarantine. Read their findings under quarantine/ in the lake (or GET /api/v1/batches/{batchId}): a vendor payload change, a missing time zone or mapping. Fix the cause, then run them again with `pos-hub replay --batch <id>` or `--date <business date>`. See docs/deploy.md (Alerts) and docs/operations.md.'
    severity: 2
    windowSize: 'PT1H'
    evaluationFrequency: 'PT15M'
    // 0 disables rather than removes the rule: an incremental deployment would leave a removed rule running.
    enabled: alertsEnabled && quarantineAlertPercent > 0
    query: $'''${batchOutcomes}| summarize arg_max(timestamp, *) by batch
| summarize timestamp = max(timestamp), transactions = sum(transactions), quarantined = sum(quarantined)
| where transactions > 0 and 100.0 * quarantined / transactions > ${quarantineAlertPercent}
'''
  }
  {
    name: 'dataverse-refused'
    displayName: 'POS Hub: Dataverse refused rows'
    description: 'Dataverse refused rows of the last hour\'s batches (dataverseFailed above 0). The refused transactions are in quarantine/ in the lake (batch-<id>.dataverse.ndjson) with Dataverse\'s answer: the application user\'s security role, a changed table or column, throttling or an outage. Fix the cause, then `pos-hub replay --batch <id>`. See docs/deploy.md (Alerts) and docs/operations.md.'
    severity: 2
    windowSize: 'PT1H'
    evaluationFrequency: 'PT15M'
    enabled: alertsEnabled
    query: $'''${batchOutcomes}| summarize arg_max(timestamp, *) by batch
| summarize timestamp = max(timestamp), dataverseFailed = sum(dataverseFailed)
| where dataverseFailed > 0
'''
  }
  {
    name: 'dead-letters'
    displayName: 'POS Hub: Event Hubs events dead-lettered'
    description: 'Event Hubs events could not be accepted in the last 15 minutes and went to deadletter/ in the lake. The query results give the source, the error code and the blob, which holds the event and the error. Fix the cause (the hub\'s configuration, e.g. a body limit or an unknown source, or the producer), then `pos-hub redrive --date <enqueued date>` runs the dead letters through acceptance again (`--dry-run` first); one the producer must correct stays, marked with its code. See docs/deploy.md (Alerts), docs/ingest.md and docs/operations.md.'
    severity: 2
    windowSize: 'PT15M'
    evaluationFrequency: 'PT5M'
    enabled: alertsEnabled
    query: '''
traces
| where message startswith "pos-hub.dead-letter "
| extend source = extract(@"\bsource=(\S+)", 1, message),
    code = extract(@"\bcode=(\S+)", 1, message),
    blob = extract(@"\bblob=(.+)$", 1, message)
| project timestamp, source, code, blob
'''
  }
  {
    name: 'work-items-stuck'
    displayName: 'POS Hub: notified orders not fetched'
    description: 'In the last hour the work-item fetcher gave up on notified orders (failed above 0) or left them waiting for a working token (waiting above 0): sales notified by Square order.updated or Clover webhooks are not in the lake yet. The run\'s other warnings name the setting and merchant; failed rows keep lastError in the workItems table. Fix the token or setting, then set failed rows back to pending. See docs/deploy.md (Alerts) and docs/operations.md.'
    severity: 2
    windowSize: 'PT1H'
    evaluationFrequency: 'PT15M'
    enabled: alertsEnabled
    // A misconfigured token leaves the same rows waiting run after run: one summary row, not one per run.
    query: '''
traces
| where message startswith "pos-hub.fetch-outcome "
| extend failed = toint(extract(@"\bfailed=(\d+)", 1, message)),
    waiting = toint(extract(@"\bwaiting=(\d+)", 1, message))
| summarize timestamp = max(timestamp), failed = sum(failed), waiting = max(waiting)
| where failed > 0 or waiting > 0
'''
  }
  {
    name: 'orchestrations-failed'
    displayName: 'POS Hub: orchestrations failed'
    description: 'An orchestration instance (ingestBatch: a batch; eraseSubject: a GDPR erasure) ended Failed in the last 15 minutes, as the Durable Functions extension reports it. This catches what the hub\'s own events cannot: a batch whose recordBatch activity itself failed writes no batch-outcome line, and an erasure that failed writes no erasure record. The query results give the orchestration and the instance id (a batch id or an erasure id). For a batch: GET /api/v1/batches/{batchId}, then `pos-hub replay --batch <id>` once the cause is fixed. For an erasure: GET /api/v1/admin/erasures/{erasureId}; fix the cause, then ask for the same erasure again (`pos-hub erase`), which runs it again. The error is in the function app\'s exceptions and traces for that instance id. See docs/deploy.md (Alerts) and docs/operations.md.'
    severity: 1
    windowSize: 'PT15M'
    evaluationFrequency: 'PT5M'
    enabled: alertsEnabled
    // The extension's own tracking events ("Diagnostics in Durable Functions", learn.microsoft.com/azure/
    // azure-functions/durable/durable-functions-diagnostics: category Host.Triggers.DurableTask, fields
    // prefixed prop__). A failed orchestrator is logged once at Error level with state Failed; activity
    // failures the orchestrator may retry or handle are left out (functionType Activity), and so are
    // replays. prop__reason (the error) is not read: the exceptions table has it for the instance.
    query: '''
traces
| where customDimensions.Category == "Host.Triggers.DurableTask"
| extend functionName = tostring(customDimensions["prop__functionName"]),
    functionType = tostring(customDimensions["prop__functionType"]),
    instanceId = tostring(customDimensions["prop__instanceId"]),
    state = tostring(customDimensions["prop__state"]),
    isReplay = tobool(tolower(tostring(customDimensions["prop__isReplay"])))
| where functionType == "Orchestrator" and state == "Failed" and isReplay != true
| summarize timestamp = max(timestamp) by functionName, instanceId
'''
  }
  {
    name: 'erasures-incomplete'
    displayName: 'POS Hub: erasure ran before batches settled'
    description: 'A GDPR erasure gave up waiting (an hour) for batches accepted before its request and erased the zones anyway: what those batches load afterwards may still hold the person\'s references. The query results give the erasure id and how many batches were still running; GET /api/v1/admin/erasures/{erasureId} names the first of them (report.inFlight.batchIds). Once they have settled (GET /api/v1/batches/{batchId}), ask for the same erasure again (`pos-hub erase`): it erases what came late. See docs/deploy.md (Alerts) and docs/privacy.md.'
    severity: 2
    windowSize: 'PT1H'
    evaluationFrequency: 'PT15M'
    enabled: alertsEnabled
    // Dry runs wait too, but change nothing: only a real run leaves something to redo.
    query: '''
traces
| where message startswith "pos-hub.erasure-outcome "
| extend erasure = extract(@"\berasure=(\S+)", 1, message),
    dryRun = extract(@"\bdryRun=(\w+)", 1, message),
    stillRunning = toint(extract(@"\bbatchesStillRunning=(\d+)", 1, message))
| where dryRun == "false" and stillRunning > 0
| summarize timestamp = max(timestamp), stillRunning = max(stillRunning) by erasure
'''
  }
  {
    name: 'server-errors'
    displayName: 'POS Hub: HTTP 5xx answers'
    description: 'An HTTP endpoint (ingest, webhooks, batchStatus, replay, erase, re-drive) answered 5xx in the last 15 minutes: callers got an error and will retry. Open Failures in Application Insights for the exceptions, then GET /api/v1/health/dependencies (with a function key) says whether the settings (Key Vault references) load and storage and Dataverse answer. See docs/deploy.md (Alerts) and docs/operations.md.'
    severity: 1
    windowSize: 'PT15M'
    evaluationFrequency: 'PT5M'
    enabled: alertsEnabled
    query: '''
requests
| where toint(resultCode) >= 500
| project timestamp, name, resultCode
'''
  }
]

resource rule 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for r in rules: {
    name: '${baseName}-${r.name}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: r.displayName
      description: r.description
      severity: r.severity
      enabled: r.enabled
      scopes: [appInsightsId]
      evaluationFrequency: r.evaluationFrequency
      windowSize: r.windowSize
      criteria: {
        allOf: [
          {
            query: r.query
            timeAggregation: 'Count'
            operator: 'GreaterThan'
            threshold: 0
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
          }
        ]
      }
      autoMitigate: true
      actions: { actionGroups: empty(alertEmails) ? [] : [actionGroup.id] }
    }
  }
]

output ruleNames string[] = [for (r, i) in rules: rule[i].name]
