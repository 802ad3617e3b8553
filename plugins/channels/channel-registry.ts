/**
 * Who is in which channel. Plain data, no hooks and no I/O, so it is unit-tested alone; members
 * are any objects with a name and a kind (sessions, in the server).
 */

/** What the registry needs to know about a member. */
export interface Member {
  readonly name: string | undefined;
  readonly kind: string;
}

/** A channel's restrictions, as the operator set them. */
export interface ChannelRules {
  readonly readOnly?: boolean;
  readonly allowedUsers?: readonly string[];
}

/** Why a member may not join or write to a channel. */
export type Refusal = 'restricted' | 'read-only' | 'full';

interface Channel<M> {
  readonly name: string;
  readOnly: boolean;
  allowed: ReadonlySet<string> | undefined;
  /** Created by the operator: stays when empty (D6). */
  permanent: boolean;
  /** Insertion order is join order (the `who` order). */
  readonly members: Set<M>;
}

export class ChannelRegistry<M extends Member & object> {
  private readonly channels = new Map<string, Channel<M>>();
  private readonly memberships = new WeakMap<M, Set<string>>();

  /** `maxChannels` caps the channels clients can bring into existence. */
  constructor(private readonly maxChannels: number) {}

  /**
   * Creates a permanent channel, or makes an existing one permanent with new rules. Returns the
   * members that the new rules shut out (they are removed).
   */
  create(name: string, rules: ChannelRules = {}): M[] {
    let channel = this.channels.get(name);
    if (!channel) {
      channel = { name, readOnly: false, allowed: undefined, permanent: true, members: new Set() };
      this.channels.set(name, channel);
    }
    channel.permanent = true;
    channel.readOnly = rules.readOnly ?? false;
    channel.allowed = rules.allowedUsers ? new Set(rules.allowedUsers.map((u) => u.normalize('NFC'))) : undefined;
    const shutOut = [...channel.members].filter((m) => !this.mayAccess(m, name));
    for (const m of shutOut) this.leave(m, name);
    return shutOut;
  }

  has(name: string): boolean {
    return this.channels.has(name);
  }

  /** Every channel, in creation order. */
  list(): string[] {
    return [...this.channels.keys()];
  }

  /** Members of `name` in join order (empty for an unknown channel). */
  members(name: string): M[] {
    return [...(this.channels.get(name)?.members ?? [])];
  }

  isMember(member: M, name: string): boolean {
    return this.channels.get(name)?.members.has(member) ?? false;
  }

  channelsOf(member: M): string[] {
    return [...(this.memberships.get(member) ?? [])];
  }

  /** Restricted channels admit only listed logged-in users: a guest could take any name (D4). */
  mayAccess(member: M, name: string): boolean {
    const allowed = this.channels.get(name)?.allowed;
    return allowed === undefined || (member.kind === 'user' && member.name !== undefined && allowed.has(member.name));
  }

  /** Why `member` may not join `name`, or undefined when it may. */
  joinRefusal(member: M, name: string): Refusal | undefined {
    if (!this.channels.has(name)) return this.channels.size >= this.maxChannels ? 'full' : undefined;
    return this.mayAccess(member, name) ? undefined : 'restricted';
  }

  /** Why `member` may not send a message to `name` (which joins it), or undefined when it may. */
  postRefusal(member: M, name: string): Refusal | undefined {
    const refusal = this.joinRefusal(member, name);
    if (refusal) return refusal;
    return this.channels.get(name)?.readOnly ? 'read-only' : undefined;
  }

  /** Adds `member`; `joined` is false when it already was a member. */
  join(member: M, name: string): { refused: Refusal } | { joined: boolean } {
    const refused = this.joinRefusal(member, name);
    if (refused) return { refused };
    let channel = this.channels.get(name);
    if (!channel) {
      channel = { name, readOnly: false, allowed: undefined, permanent: false, members: new Set() };
      this.channels.set(name, channel);
    }
    if (channel.members.has(member)) return { joined: false };
    channel.members.add(member);
    let mine = this.memberships.get(member);
    if (!mine) this.memberships.set(member, (mine = new Set()));
    mine.add(name);
    return { joined: true };
  }

  /** Removes `member` from `name`; false when it was not a member. An empty client channel goes (D6). */
  leave(member: M, name: string): boolean {
    const channel = this.channels.get(name);
    if (!channel?.members.delete(member)) return false;
    this.memberships.get(member)?.delete(name);
    if (channel.members.size === 0 && !channel.permanent) this.channels.delete(name);
    return true;
  }

  /** Removes `member` from every channel (it left the server); returns the channels it was in. */
  leaveAll(member: M): string[] {
    const names = this.channelsOf(member);
    for (const name of names) this.leave(member, name);
    this.memberships.delete(member);
    return names;
  }

  /** Leaves the channels `member` may no longer access (it logged in under another name). */
  prune(member: M): string[] {
    const lost = this.channelsOf(member).filter((name) => !this.mayAccess(member, name));
    for (const name of lost) this.leave(member, name);
    return lost;
  }

  /** Removes the channel, permanent or not; returns its members before removal, or undefined. */
  remove(name: string): M[] | undefined {
    const channel = this.channels.get(name);
    if (!channel) return undefined;
    const members = [...channel.members];
    for (const m of members) this.memberships.get(m)?.delete(name);
    this.channels.delete(name);
    return members;
  }
}
