/**
 * Delivery bookkeeping for one receiver: every sender numbers its messages 0, 1, 2…, so a
 * receiver can tell a lost message (a gap, or a missing tail at the end), a duplicate (a number
 * seen before) and a reordering (a number lower than the highest seen, but new) apart.
 */

/** Content of a benchmark message: `b:<sender index>:<sequence>:<send time in ms, from performance.now()>`. */
export const CONTENT_PREFIX = 'b:';

/**
 * Builds the `content` of a benchmark message.
 * @param {number} sender index of the sending client
 * @param {number} seq 0-based sequence number of this message from this sender
 * @param {number} sentAt send time (performance.now() of the load generator)
 * @returns {string} the content string
 */
export function encodeContent(sender, seq, sentAt) {
  return `${CONTENT_PREFIX}${sender}:${seq}:${sentAt.toFixed(3)}`;
}

/**
 * Parses a content string made by {@link encodeContent}.
 * @param {string} content the `content` field of a received message
 * @returns {{sender: number, seq: number, sentAt: number} | undefined} undefined when it is not ours
 */
export function decodeContent(content) {
  if (!content.startsWith(CONTENT_PREFIX)) return undefined;
  const [sender, seq, sentAt] = content.slice(CONTENT_PREFIX.length).split(':');
  const parsed = { sender: Number(sender), seq: Number(seq), sentAt: Number(sentAt) };
  return Number.isInteger(parsed.sender) && Number.isInteger(parsed.seq) && Number.isFinite(parsed.sentAt) ? parsed : undefined;
}

/** What one receiver saw, per sender. */
export class SequenceChecker {
  /**
   * @param {Map<number, number>} expected sender index → how many messages this receiver must get from it
   */
  constructor(expected) {
    /** @type {Map<number, number>} */
    this.expected = expected;
    /** @type {Map<number, number>} highest sequence number seen, per sender */
    this.highest = new Map();
    /** @type {Map<number, Set<number>>} every sequence number seen, per sender */
    this.seen = new Map();
    this.received = 0;
    this.duplicates = 0;
    this.outOfOrder = 0;
    this.unexpected = 0;
    this.expectedTotal = [...expected.values()].reduce((a, b) => a + b, 0);
  }

  /**
   * Records one delivery.
   * @param {number} sender sender index from the content
   * @param {number} seq sequence number from the content
   * @returns {boolean} true when it was a new, expected message (it counts towards completion)
   */
  record(sender, seq) {
    const want = this.expected.get(sender);
    if (want === undefined || seq < 0 || seq >= want) {
      this.unexpected++;
      return false;
    }
    let seen = this.seen.get(sender);
    if (!seen) this.seen.set(sender, (seen = new Set()));
    if (seen.has(seq)) {
      this.duplicates++;
      return false;
    }
    seen.add(seq);
    const highest = this.highest.get(sender) ?? -1;
    if (seq < highest) this.outOfOrder++;
    else this.highest.set(sender, seq);
    this.received++;
    return true;
  }

  /** True once every expected message has arrived. */
  get complete() {
    return this.received === this.expectedTotal;
  }

  /**
   * The problems found so far; at the end of a run, missing messages are losses.
   * @returns {{lost: number, duplicates: number, outOfOrder: number, unexpected: number, firstGaps: string[]}}
   */
  report() {
    let lost = 0;
    const firstGaps = [];
    for (const [sender, want] of this.expected) {
      const got = this.seen.get(sender)?.size ?? 0;
      if (got === want) continue;
      lost += want - got;
      if (firstGaps.length < 3) {
        const seen = this.seen.get(sender) ?? new Set();
        let first = 0;
        while (seen.has(first)) first++;
        firstGaps.push(`from sender ${sender}: got ${got}/${want}, first missing #${first}`);
      }
    }
    return { lost, duplicates: this.duplicates, outOfOrder: this.outOfOrder, unexpected: this.unexpected, firstGaps };
  }
}
