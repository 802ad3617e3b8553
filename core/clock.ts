/** Time in one place, so tests can inject it and every timestamp has the same shape. */
export interface Clock {
  /** Whole milliseconds since the epoch (an integer: it goes into SQLite INTEGER columns as is). */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * Formats a time the way the reference's `datetime.now().isoformat()` does: local time, no offset,
 * but always six fractional digits (decision D9), e.g. `2026-11-24T14:06:32.170000` (the clock
 * has millisecond precision; a fractional `epochMs` fills the last three digits).
 */
export function formatTimestamp(epochMs: number): string {
  const whole = Math.floor(epochMs);
  const d = new Date(whole);
  const micros = d.getMilliseconds() * 1000 + Math.min(999, Math.round((epochMs - whole) * 1000));
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(micros, 6)}`
  );
}
