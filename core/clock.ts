/** Time in one place, so tests can inject it and every timestamp has the same shape. */
export interface Clock {
  /** Milliseconds since the epoch, with sub-millisecond precision when available. */
  now(): number;
}

export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
};

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * Formats a time the way the reference's `datetime.now().isoformat()` does: local time, no offset,
 * but always six fractional digits (decision D9), e.g. `2026-11-24T14:06:32.170097`.
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
