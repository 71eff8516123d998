// The client's copy of the request-count window, on a hand-driven clock: what it lets go and when.
import { createRequestWindow, parseRequestLimit } from '../../shared/dataverse/requestWindow';

function clock(start = 1_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

test('reads the limit from the 0x80072322 message, and nothing from other messages', () => {
  expect(parseRequestLimit('Number of requests exceeded the limit of 6000 over time window of 300 seconds.')).toEqual({ requests: 6000, windowMs: 300_000 });
  expect(parseRequestLimit('Number of requests exceeded the limit of 6,000 over time window of 300 seconds.')).toEqual({ requests: 6000, windowMs: 300_000 });
  expect(parseRequestLimit('Number of concurrent requests exceeded the limit of 52.')).toBeNull();
  expect(parseRequestLimit('')).toBeNull();
});

test('without a known limit nothing waits, whatever was sent', () => {
  const c = clock();
  const w = createRequestWindow({ now: c.now });
  for (let i = 0; i < 100; i++) w.open().settle(true);
  expect(w.wait()).toBe(0);
  expect(w.stats()).toMatchObject({ limit: null, budget: null, counted: 100 });
});

test('with a limit, a request waits until the oldest answer leaves the window; in-flight requests hold places', () => {
  const c = clock();
  const w = createRequestWindow({ now: c.now, limit: { requests: 3, windowMs: 1000 } });
  const a = w.open();
  const b = w.open();
  expect(w.wait()).toBe(0);
  const d = w.open();
  // Three in flight: only an answer can make room, and then only a window after it.
  expect(w.wait()).toBe(Infinity);
  c.t += 40;
  a.settle(true);
  expect(w.wait()).toBe(1000);
  c.t += 999;
  expect(w.wait()).toBe(1);
  c.t += 1;
  expect(w.wait()).toBe(0);
  // A refused request never counted: its place is free at once.
  b.settle(false);
  d.settle(true);
  expect(w.stats().counted).toBe(1);
  expect(w.wait()).toBe(0);
});

test('a refusal teaches the limit; holding less of it than that (others spent the rest) does not cut the budget', () => {
  const c = clock();
  const w = createRequestWindow({ now: c.now });
  for (let i = 0; i < 5; i++) w.open().settle(true);
  // The service said full at 5 of ours: an earlier instance of the same user spent the other 5. Those
  // leave within the window; holding this client at 5 would waste them for a whole window.
  w.refused({ requests: 10, windowMs: 1000 });
  expect(w.stats()).toMatchObject({ limit: { requests: 10, windowMs: 1000 }, budget: 10, counted: 5 });
  expect(w.wait()).toBe(0);
  for (let i = 0; i < 5; i++) w.open().settle(true);
  expect(w.wait()).toBe(1000);
});

test('a refusal after far more than the stated limit was accepted (several web servers) keeps that pace', () => {
  const c = clock();
  const w = createRequestWindow({ now: c.now });
  for (let i = 0; i < 30; i++) w.open().settle(true);
  w.refused({ requests: 10, windowMs: 1000 });
  expect(w.stats().budget).toBe(30);
  // Only a little over the limit (answers are stamped late): one server, the stated limit.
  const one = createRequestWindow({ now: c.now });
  for (let i = 0; i < 12; i++) one.open().settle(true);
  one.refused({ requests: 10, windowMs: 1000 });
  expect(one.stats().budget).toBe(10);
});
