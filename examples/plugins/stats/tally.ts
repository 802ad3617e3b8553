/** Counting who wrote what: no hooks and no database, so it is unit-tested alone. */

/** The fields of a stored message the counting needs (the history service's `StoredMessage` has them). */
export interface Countable {
  readonly sender: string;
}

/** Totals, and the most active senders first (ties by name, so the answer is stable). The history service streams asynchronously. */
export async function tally(messages: AsyncIterable<Countable> | Iterable<Countable>, top: number): Promise<{ total: number; leaders: Array<[string, number]> }> {
  const bySender = new Map<string, number>();
  let total = 0;
  for await (const { sender } of messages) {
    total += 1;
    bySender.set(sender, (bySender.get(sender) ?? 0) + 1);
  }
  const leaders = [...bySender].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)).slice(0, top);
  return { total, leaders };
}

/** The line users read, e.g. `📊 12 messages. Most active: alice (7), bob (5).` */
export function statsText(total: number, leaders: ReadonlyArray<readonly [string, number]>): string {
  if (total === 0) return '📊 No messages yet.';
  const who = leaders.map(([name, n]) => `${name} (${n})`).join(', ');
  return `📊 ${total} message${total === 1 ? '' : 's'}. Most active: ${who}.`;
}
