// local/timerMonitor.ts: the schedule monitor's record per timer function, kept where the host keeps it
// (blob `azure-webjobs-hosts/timers/<hostId>/<function>/status`, JSON `{ Last, Next, LastUpdated }`),
// so a run missed while the runtime was down is detected as past due on the next start.
import { BlobServiceClient, RestError, type ContainerClient } from '@azure/storage-blob';

export interface ScheduleStatus {
  last: string;
  next: string;
  lastUpdated: string;
}

export interface TimerMonitor {
  read(functionName: string): Promise<ScheduleStatus | undefined>;
  write(functionName: string, status: ScheduleStatus): Promise<void>;
}

export const MONITOR_CONTAINER = 'azure-webjobs-hosts';

export function statusBlobName(hostId: string, functionName: string): string {
  return `timers/${hostId}/${functionName}/status`;
}

export async function createTimerMonitor(
  storageConnectionString: string,
  hostId: string,
): Promise<TimerMonitor> {
  const container: ContainerClient =
    BlobServiceClient.fromConnectionString(storageConnectionString).getContainerClient(MONITOR_CONTAINER);
  await container.createIfNotExists();
  return {
    async read(functionName) {
      try {
        const text = (
          await container.getBlobClient(statusBlobName(hostId, functionName)).downloadToBuffer()
        ).toString('utf8');
        const s = JSON.parse(text) as { Last: string; Next: string; LastUpdated: string };
        return { last: s.Last, next: s.Next, lastUpdated: s.LastUpdated };
      } catch (err) {
        if (err instanceof RestError && err.statusCode === 404) return undefined;
        throw err;
      }
    },
    async write(functionName, status) {
      const body = JSON.stringify({ Last: status.last, Next: status.next, LastUpdated: status.lastUpdated });
      await container
        .getBlockBlobClient(statusBlobName(hostId, functionName))
        .upload(body, Buffer.byteLength(body), {
          blobHTTPHeaders: { blobContentType: 'application/json' },
        });
    },
  };
}
