// The cached zone offsets must be exactly ICU's, above all around DST transitions: every instant is
// compared with a reference computed here straight from Intl.DateTimeFormat.formatToParts.
import { dateInZone, parseDateTime, toUtcInstant, wallClockToInstant, zoneOffsetMs } from '../../shared/model/time';

const reference = new Map<string, Intl.DateTimeFormat>();
/** ICU's wall clock at an instant, as if UTC, truncated to the second. */
function icuWall(epochMs: number, timeZone: string): number {
  let f = reference.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    reference.set(timeZone, f);
  }
  const parts = f.formatToParts(new Date(epochMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
}
const icuOffset = (epochMs: number, timeZone: string) => icuWall(epochMs, timeZone) - Math.floor(epochMs / 1000) * 1000;
const icuDate = (epochMs: number, timeZone: string) => new Date(icuWall(epochMs, timeZone)).toISOString().slice(0, 10);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Every `step` from `hours` before to `hours` after `around`, plus the milliseconds at each step's edges. */
function instantsAround(around: number, hours: number, step: number): number[] {
  const out: number[] = [];
  for (let t = around - hours * HOUR; t <= around + hours * HOUR; t += step) out.push(t - 1, t, t + 1, t + 999, t + 1000);
  return out;
}

// Transitions (UTC instants) where the offset changes, and the offsets either side.
const TRANSITIONS: { zone: string; at: string; before: number; after: number }[] = [
  { zone: 'America/New_York', at: '2026-03-08T07:00:00Z', before: -5 * 60, after: -4 * 60 },
  { zone: 'America/New_York', at: '2026-11-01T06:00:00Z', before: -4 * 60, after: -5 * 60 },
  { zone: 'Europe/Paris', at: '2026-03-29T01:00:00Z', before: 60, after: 120 },
  { zone: 'Europe/Paris', at: '2026-10-25T01:00:00Z', before: 120, after: 60 },
  // Lord Howe Island moves by 30 minutes: +10:30 standard, +11:00 summer, at 02:00 local.
  { zone: 'Australia/Lord_Howe', at: '2026-04-04T15:00:00Z', before: 11 * 60, after: 10 * 60 + 30 },
  { zone: 'Australia/Lord_Howe', at: '2026-10-03T15:30:00Z', before: 10 * 60 + 30, after: 11 * 60 },
];

describe('zone offsets (cached per hour)', () => {
  it.each(TRANSITIONS)('$zone at $at: the offset changes exactly at the transition', ({ zone, at, before, after }) => {
    const t = Date.parse(at);
    expect(zoneOffsetMs(t - 1, zone)).toBe(before * MINUTE);
    expect(zoneOffsetMs(t, zone)).toBe(after * MINUTE);
    expect(zoneOffsetMs(t - HOUR, zone)).toBe(before * MINUTE);
    expect(zoneOffsetMs(t + HOUR, zone)).toBe(after * MINUTE);
  });

  it.each(TRANSITIONS)('$zone at $at: offsets and dates equal ICU minute by minute for a day around it', ({ zone, at }) => {
    for (const t of instantsAround(Date.parse(at), 6, 5 * MINUTE)) {
      expect([t, zoneOffsetMs(t, zone)]).toEqual([t, icuOffset(t, zone)]);
      expect([t, dateInZone(t, zone)]).toEqual([t, icuDate(t, zone)]);
    }
  });

  it('is exact for a zone with a 45-minute offset and for a year of hours in several zones', () => {
    expect(zoneOffsetMs(Date.parse('2026-06-01T00:00:00Z'), 'Asia/Kathmandu')).toBe((5 * 60 + 45) * MINUTE);
    expect(dateInZone(Date.parse('2026-06-01T18:14:59.999Z'), 'Asia/Kathmandu')).toBe('2026-06-01');
    expect(dateInZone(Date.parse('2026-06-01T18:15:00.000Z'), 'Asia/Kathmandu')).toBe('2026-06-02');
    const zones = ['Asia/Kathmandu', 'America/New_York', 'Europe/Paris', 'Australia/Lord_Howe', 'America/St_Johns', 'Pacific/Chatham', 'UTC'];
    const start = Date.parse('2026-01-01T00:00:00Z');
    for (const zone of zones) {
      // 53 minutes and 13 seconds apart: nearly every hour bucket, at ever-changing minutes and seconds.
      for (let t = start; t < start + 366 * 24 * HOUR; t += 53 * MINUTE + 13_000) {
        if (zoneOffsetMs(t, zone) !== icuOffset(t, zone) || dateInZone(t, zone) !== icuDate(t, zone)) {
          throw new Error(`${zone} at ${new Date(t).toISOString()}: cached ${zoneOffsetMs(t, zone)}, ICU ${icuOffset(t, zone)}`);
        }
      }
    }
  });

  it('keeps historic offsets with seconds (local mean time) and instants before 1970', () => {
    const t = Date.parse('1880-06-01T12:34:56.789Z');
    expect(zoneOffsetMs(t, 'Europe/Paris')).toBe(icuOffset(t, 'Europe/Paris'));
    expect(zoneOffsetMs(t, 'Europe/Paris') % MINUTE).not.toBe(0);
    expect(dateInZone(t, 'America/New_York')).toBe(icuDate(t, 'America/New_York'));
  });

  it('still refuses an unknown zone and an invalid instant', () => {
    expect(() => zoneOffsetMs(0, 'Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => dateInZone(NaN, 'Europe/Paris')).toThrow(RangeError);
  });
});

describe('wall clock times in a zone', () => {
  const at = (text: string, zone: string) => toUtcInstant(parseDateTime(text, zone)!.epochMs);

  // [wall clock time, zone, the instant it reads as]
  const WALL_CLOCKS: [string, string, string][] = [
    ['2026-03-08T01:59:59', 'America/New_York', '2026-03-08T06:59:59.000Z'],
    ['2026-03-08T02:30:00', 'America/New_York', '2026-03-08T06:30:00.000Z'],
    ['2026-03-08T03:00:00', 'America/New_York', '2026-03-08T07:00:00.000Z'],
    ['2026-11-01T00:59:59', 'America/New_York', '2026-11-01T04:59:59.000Z'],
    ['2026-11-01T01:30:00', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    // After the overlap: EST (the old guess from the offset at 02:00Z gave 06:00Z, which shows 01:00).
    ['2026-11-01T02:00:00', 'America/New_York', '2026-11-01T07:00:00.000Z'],
    ['2026-11-01T05:59:00', 'America/New_York', '2026-11-01T10:59:00.000Z'],
    ['2026-04-05T01:45:00', 'Australia/Lord_Howe', '2026-04-04T14:45:00.000Z'],
    ['2026-10-25T02:30:00', 'Europe/Paris', '2026-10-25T00:30:00.000Z'],
    ['2026-04-05T01:15:00', 'Australia/Lord_Howe', '2026-04-04T14:15:00.000Z'],
    ['2026-04-05T02:15:00', 'Australia/Lord_Howe', '2026-04-04T15:45:00.000Z'],
    ['2026-10-04T02:15:00', 'Australia/Lord_Howe', '2026-10-03T15:15:00.000Z'],
    ['2026-03-29T02:30:00', 'Europe/Paris', '2026-03-29T00:30:00.000Z'],
    ['2026-10-25T03:30:00', 'Europe/Paris', '2026-10-25T02:30:00.000Z'],
    ['2026-06-02T00:10:00', 'Asia/Kathmandu', '2026-06-01T18:25:00.000Z'],
  ];

  // Gaps take the later offset, overlaps the earlier instant.
  it.each(WALL_CLOCKS)('reads %s in %s as %s', (text, zone, instant) => {
    expect(at(text, zone)).toBe(instant);
  });

  it('gives, for every wall clock minute of two days around each transition, the earliest instant showing it (the later offset in a gap)', () => {
    for (const { zone, at: transition, after } of TRANSITIONS) {
      const t = Date.parse(transition);
      for (let wall = t - 24 * HOUR; wall < t + 24 * HOUR; wall += MINUTE) {
        const instant = wallClockToInstant(wall, zone);
        const shownAt = [instant - HOUR, instant - 30 * MINUTE, instant].filter((x) => icuWall(x, zone) === wall);
        if (shownAt.length > 0) expect([zone, wall, shownAt[0]]).toEqual([zone, wall, instant]);
        else {
          // A gap: no instant shows it (neither offset either side does), and the later offset is used.
          expect([zone, wall, instant]).toEqual([zone, wall, wall - after * MINUTE]);
          expect(icuWall(wall - icuOffset(t - HOUR, zone), zone)).not.toBe(wall);
        }
      }
    }
  });
});
