/**
 * Batches every session's output per event-loop turn: lines queued during a turn leave together,
 * one transport write per session (one syscall instead of one per line: the write syscall was 44%
 * of busy time in a private-message blast, docs/performance.md). Right before they leave, the
 * `beforeFlush` callback runs once (core fires `onBeforeFlush`), so a plugin can make what is about
 * to be delivered durable first (persistence commits its history batch there).
 */

/** A session's side of the batching (implemented by Session). */
export interface Flushable {
  /** Hands the lines queued this turn to the transport. */
  flushQueued(): void;
}

export class Flusher {
  private pending: Flushable[] = [];

  constructor(private readonly beforeFlush: (sessions: number) => void) {}

  /**
   * Called by a session when its first line of the turn is queued. The flush runs in the check
   * phase (setImmediate), after every socket that was readable in this loop iteration has been
   * handled: more lines per write and fewer history transactions than per tick, for well under a
   * millisecond of delay.
   */
  schedule(session: Flushable): void {
    if (this.pending.push(session) === 1) setImmediate(() => this.flush());
  }

  /** Runs the pre-flush observers, then writes every queued session's lines. */
  flush(): void {
    const sessions = this.pending;
    this.pending = [];
    if (sessions.length === 0) return;
    this.beforeFlush(sessions.length);
    for (const session of sessions) session.flushQueued();
  }
}
