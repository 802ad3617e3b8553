import type { Session } from '../../core/index.js';

/**
 * One resettable timer per session and purpose (login deadline, idle timeout). Timers are unref'd
 * so they never keep a stopping process alive.
 */
export class SessionTimers {
  private readonly timers = new WeakMap<Session, NodeJS.Timeout>();

  constructor(
    private readonly ms: number,
    private readonly onExpire: (session: Session) => void,
  ) {}

  /** (Re)starts the session's timer; does nothing when the delay is 0 (disabled). */
  start(session: Session): void {
    if (this.ms <= 0) return;
    this.clear(session);
    const timer = setTimeout(() => {
      this.timers.delete(session);
      if (!session.closed) this.onExpire(session);
    }, this.ms);
    timer.unref();
    this.timers.set(session, timer);
  }

  clear(session: Session): void {
    const timer = this.timers.get(session);
    if (timer) clearTimeout(timer);
    this.timers.delete(session);
  }
}
