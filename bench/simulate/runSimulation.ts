// bench/simulate/runSimulation.ts: plan, send, summarize: one simulated run against a hub.
import { planRequests, type PlanOptions, type TrafficPlan } from './planTraffic';
import { sendTraffic, type SendOptions, type SendResult, type Target } from './sendTraffic';
import { summarizeRun, type RunSummary } from './summarizeRun';

export interface SimulationRun {
  plan: TrafficPlan;
  results: SendResult[];
  summary: RunSummary;
}

export async function runSimulation(
  options: Omit<PlanOptions, 'webhooks' | 'now'> & { now?: number },
  target: Target,
  send: Omit<SendOptions, 'rate'> = {},
): Promise<SimulationRun> {
  // Webhooks go to their vendor endpoint only when the simulator can sign them like the vendor.
  const webhooks = {
    shopify: Boolean(target.credentials.shopifySecret),
    square: Boolean(target.credentials.squareSignatureKey),
  };
  // In-store payloads go by Event Hubs only with a connection string: refuse before sending anything.
  if ((options.eventHubsShare ?? 0) > 0 && !target.eventHubs)
    throw new Error(
      'an Event Hubs share needs a connection string: --eventhubs-connection, POS_HUB_EVENTHUB_CONNECTION, or a runtime.json with eventHubsConnectionString',
    );
  const planOptions: PlanOptions = { ...options, webhooks, now: options.now ?? Date.now() };
  const t0 = Date.now();
  const sent = await sendTraffic(planRequests(planOptions), target, { ...send, rate: options.rate });
  const plan: TrafficPlan = { options: planOptions, requests: sent.requests };
  const results = sent.results;
  const eventHubs = target.eventHubs
    ? { hubName: target.eventHubs.hubName, batches: sent.eventBatches }
    : null;
  const summary = summarizeRun(plan, results, target.baseUrl, (Date.now() - t0) / 1000, eventHubs);
  return { plan, results, summary };
}
