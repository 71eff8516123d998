// local/durable/clientInput.ts: the durable client input binding value, as the host hands it to a
// function with a `durableClient` input. The library's client calls `rpcBaseUrl`; the management
// URLs go into createCheckStatusResponse. Locally both point at the runtime's own HTTP server.

export const WEBHOOK_PATH = '/runtime/webhooks/durabletask';
export const INSTANCE_PLACEHOLDER = 'INSTANCEID';

export interface DurableClientInput {
  taskHubName: string;
  connectionName: string;
  creationUrls: { createNewInstancePostUri: string; createAndWaitOnNewInstancePostUri: string };
  managementUrls: Record<string, string> & { id: string; statusQueryGetUri: string };
  baseUrl: string;
  requiredQueryStringParameters: string;
  rpcBaseUrl: string;
  httpBaseUrl: string;
}

/** `baseUrl` is the runtime's origin (`http://127.0.0.1:7071`); the webhook path is accepted too. */
export function durableClientInput(baseUrl: string, taskHub: string): DurableClientInput {
  const origin = baseUrl.replace(/\/+$/, '').replace(new RegExp(`${WEBHOOK_PATH}$`), '');
  const hook = `${origin}${WEBHOOK_PATH}`;
  const query = `taskHub=${encodeURIComponent(taskHub)}&connection=Storage`;
  const instance = `${hook}/instances/${INSTANCE_PLACEHOLDER}`;
  return {
    taskHubName: taskHub,
    connectionName: 'Storage',
    creationUrls: {
      createNewInstancePostUri: `${hook}/orchestrators/{functionName}[/{instanceId}]?${query}`,
      createAndWaitOnNewInstancePostUri: `${hook}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${query}`,
    },
    managementUrls: {
      id: INSTANCE_PLACEHOLDER,
      statusQueryGetUri: `${instance}?${query}`,
      sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
      terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
      rewindPostUri: `${instance}/rewind?reason={text}&${query}`,
      purgeHistoryDeleteUri: `${instance}?${query}`,
      restartPostUri: `${instance}/restart?${query}`,
      suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
      resumePostUri: `${instance}/resume?reason={text}&${query}`,
    },
    baseUrl: hook,
    requiredQueryStringParameters: query,
    rpcBaseUrl: `${hook}/`,
    httpBaseUrl: hook,
  };
}

/** The management URLs of one instance (what createCheckStatusResponse and a start answer carry). */
export function managementPayload(input: DurableClientInput, instanceId: string): Record<string, string> {
  const out: Record<string, string> = { id: instanceId };
  for (const [key, url] of Object.entries(input.managementUrls)) {
    if (key !== 'id') out[key] = url.replace(INSTANCE_PLACEHOLDER, encodeURIComponent(instanceId));
  }
  return out;
}
