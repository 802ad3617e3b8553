/**
 * Counts the sessions of each name so that an arrival is announced when a name's first session
 * appears and a departure when its last one goes: never twice for one user on two connections.
 * Plain data, unit-tested alone.
 */
export class PresenceTracker<S extends object> {
  private readonly byName = new Map<string, Set<S>>();
  private readonly nameOf = new WeakMap<S, string>();

  /** `session` now carries `name`. Returns the name it left (if that was its last session) and whether `name` just arrived. */
  named(session: S, name: string): { arrived: boolean; departed: string | undefined } {
    const previous = this.nameOf.get(session);
    if (previous === name) return { arrived: false, departed: undefined };
    const departed = previous !== undefined && this.remove(session, previous) ? previous : undefined;
    let sessions = this.byName.get(name);
    if (!sessions) this.byName.set(name, (sessions = new Set()));
    sessions.add(session);
    this.nameOf.set(session, name);
    return { arrived: sessions.size === 1, departed };
  }

  /** `session` is gone. Returns its name when that was the name's last session. */
  left(session: S): string | undefined {
    const name = this.nameOf.get(session);
    if (name === undefined) return undefined;
    this.nameOf.delete(session);
    return this.remove(session, name) ? name : undefined;
  }

  /** Removes one session of `name`; true when it was the last. */
  private remove(session: S, name: string): boolean {
    const sessions = this.byName.get(name);
    if (!sessions?.delete(session)) return false;
    if (sessions.size > 0) return false;
    this.byName.delete(name);
    return true;
  }
}
