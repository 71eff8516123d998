// test/local/durable/readSkipApp.ts: orchestrations for durableReadSkip.test.ts, whose activities
// wait at gates the test opens, so the test decides what happens while an activity runs.
import * as df from 'durable-functions';

/** Opens (now or later) the gate an activity with this key waits at. */
export const gates = new Map<string, { open: () => void; opened: Promise<void>; entered: Promise<void>; enter: () => void }>();

export function gate(key: string) {
  let entry = gates.get(key);
  if (!entry) {
    let open!: () => void;
    let enter!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const entered = new Promise<void>((resolve) => (enter = resolve));
    entry = { open, opened, entered, enter };
    gates.set(key, entry);
  }
  return entry;
}

df.app.activity('SkipEcho', { handler: (text: string) => text });

df.app.activity('SkipGated', {
  handler: async (key: string) => {
    const g = gate(key);
    g.enter();
    await g.opened;
    return key;
  },
});

df.app.orchestration('SkipSequence', function* (context) {
  const out: string[] = [];
  for (const text of ['one', 'two', 'three']) out.push(yield context.df.callActivity('SkipEcho', text));
  return out;
});

df.app.orchestration('SkipEventDuringActivity', function* (context) {
  const id = context.df.instanceId;
  const first: string = yield context.df.callActivity('SkipGated', `${id}-first`);
  const go: string = yield context.df.waitForExternalEvent('Go');
  const second: string = yield context.df.callActivity('SkipEcho', 'second');
  return [first, go, second];
});

df.app.orchestration('SkipTwoGated', function* (context) {
  const id = context.df.instanceId;
  const a: string = yield context.df.callActivity('SkipGated', `${id}-a`);
  const b: string = yield context.df.callActivity('SkipEcho', 'b');
  return [a, b];
});

df.app.orchestration('SkipCountEvents', function* (context) {
  const count = context.df.getInput<number>();
  for (let i = 0; i < count; i++) yield context.df.waitForExternalEvent('E');
  return count;
});

df.app.orchestration('SkipWaitThenEcho', function* (context) {
  const go: string = yield context.df.waitForExternalEvent('Go');
  const after: string = yield context.df.callActivity('SkipEcho', 'after');
  return [go, after];
});

df.app.orchestration('SkipParent', function* (context) {
  const child: string[] = yield context.df.callSubOrchestrator('SkipSequence', undefined, `${context.df.instanceId}-child`);
  return ['parent', ...child];
});
