/**
 * The console's commands: parse one line, act through core's API and other plugins' services,
 * answer with text lines. No I/O here, so every command is testable alone.
 */
import { isIP } from 'node:net';
import type { PluginContext, Session } from '../../core/index.js';
import type {} from '../channels/service.js';
import type {} from '../csv-export/service.js';
import type { BanTarget } from '../guard/service.js';
import type {} from '../persistence/service.js';
import type {} from '../logging/service.js';
import type {} from '../system-messages/service.js';
import { formatWhen, parseDuration } from './durations.js';
import type { Options } from './options.js';

/** The operator's view of a command. */
interface Command {
  readonly usage: string;
  readonly help: string;
  /** What tab completion offers for the first argument. */
  readonly complete?: () => string[];
  run(args: string[], rest: string): string[] | Promise<string[]>;
}

/** Raised for a usage problem: the console prints the message and the usage line, never a stack. */
class UsageError extends Error {}

export class AdminCommands {
  private readonly commands: Record<string, Command>;

  constructor(private readonly ctx: PluginContext<Options>) {
    const users = () => [...new Set(ctx.server.namedSessions().map((s) => s.name!))];
    const channels = () => this.channels()?.list() ?? [];
    this.commands = {
      help: { usage: 'help', help: 'this list', run: () => this.help() },
      who: { usage: 'who', help: 'connected users: IP, channels, connected since', run: () => this.who() },
      channels: { usage: 'channels', help: 'channels and their member counts', run: () => this.listChannels() },
      say: { usage: 'say [#channel] <text>', help: 'system message to everyone or to one channel', complete: channels, run: (_a, rest) => this.say(rest, '') },
      alert: { usage: 'alert [#channel] <text>', help: 'the same, marked as an alert', complete: channels, run: (_a, rest) => this.say(rest, '⚠ ALERTE : ') },
      kick: { usage: 'kick <user> [reason]', help: 'disconnect every session of a user', complete: users, run: (args) => this.kick(args) },
      ban: { usage: 'ban <user|ip> [duration: 30m, 2h, 7d] [reason]', help: 'ban and disconnect (no duration: until unban)', complete: users, run: (args) => this.ban(args) },
      unban: { usage: 'unban <user|ip>', help: 'lift a ban', run: (args) => this.unban(args) },
      bans: { usage: 'bans', help: 'bans in force', run: () => this.bans() },
      close: { usage: 'close <#channel>', help: 'tell the members, then remove the channel', complete: channels, run: (args) => this.close(args) },
      plugins: { usage: 'plugins', help: 'plugins and their state', run: () => this.plugins() },
      backup: { usage: 'backup [FILE]', help: 'online backup of the database now', run: (args) => this.backup(args) },
      export: { usage: 'export [--format csv|json] [--channel C] [--since D] [--until D] [--out FILE]', help: 'history to a CSV or JSON file', run: (args) => this.export(args) },
      reload: { usage: 'reload', help: 're-read config.json without dropping anyone', run: () => this.reload() },
      stop: { usage: 'stop', help: 'graceful shutdown', run: () => this.stop() },
    };
  }

  /** Runs one console line; returns the lines to print. Never throws. */
  async run(line: string, operator: string): Promise<string[]> {
    const trimmed = line.trim();
    if (trimmed === '') return [];
    const [name = '', ...args] = trimmed.split(/\s+/);
    const rest = trimmed.slice(name.length).trim();
    const command = this.commands[name.toLowerCase()];
    this.ctx.services.find('activityLog')?.record('admin', { operator, command: trimmed });
    this.ctx.log.info({ operator, command: trimmed }, 'admin command');
    if (!command) return [`unknown command "${name}"; type help`];
    try {
      return await command.run(args, rest);
    } catch (err) {
      if (err instanceof UsageError) return [err.message, `usage: ${command.usage}`];
      this.ctx.log.error({ err, command: trimmed }, 'admin command failed');
      return [`failed: ${(err as Error).message}`];
    }
  }

  /** Tab completion for a partial line. */
  complete(line: string): string[] {
    const parts = line.split(/\s+/);
    if (parts.length <= 1) return Object.keys(this.commands).filter((c) => c.startsWith(parts[0] ?? ''));
    const command = this.commands[parts[0]!];
    const word = parts[parts.length - 1]!;
    if (!command?.complete || parts.length > 2) return [];
    return command.complete().filter((c) => c.startsWith(word));
  }

  private help(): string[] {
    return Object.values(this.commands).map((c) => `${c.usage.padEnd(48)} ${c.help}`);
  }

  private who(): string[] {
    const sessions = this.ctx.server.sessions();
    if (sessions.length === 0) return ['nobody is connected'];
    const channels = this.channels();
    return sessions.map((s) => {
      const name = s.name ?? '(anonymous)';
      const kind = s.kind === 'guest' ? ' (guest)' : '';
      const inChannels = channels ? ` ${channels.channelsOf(s).join(',') || '-'}` : '';
      return `${name}${kind}  ${s.remoteAddress}${inChannels}  since ${formatWhen(s.connectedAt)}`;
    });
  }

  private listChannels(): string[] {
    const channels = this.need(this.channels(), 'channels');
    return channels.list().map((c) => `${c}  ${channels.members(c).length} member(s)`);
  }

  private say(rest: string, prefix: string): string[] {
    const system = this.need(this.ctx.services.find('systemMessages'), 'system-messages');
    const [first = '', ...words] = rest.split(/\s+/);
    const toChannel = first.startsWith('#');
    const text = (toChannel ? words.join(' ') : rest).trim();
    if (text === '') throw new UsageError('nothing to say');
    if (toChannel) {
      const channels = this.need(this.channels(), 'channels');
      if (!channels.list().includes(first.normalize('NFC'))) throw new UsageError(`no channel ${first}`);
      system.toChannel(first.normalize('NFC'), prefix + text);
      return [`sent to ${first}`];
    }
    system.toAll(prefix + text);
    return ['sent to everyone'];
  }

  private kick([user, ...reason]: string[]): string[] {
    if (!user) throw new UsageError('who?');
    const sessions = this.ctx.server.sessionsNamed(user.normalize('NFC'));
    if (sessions.length === 0) return [`${user} is not connected`];
    const why = reason.join(' ');
    for (const s of sessions) this.disconnect(s, why ? `Kicked by the operator: ${why}` : 'Kicked by the operator.');
    return [`kicked ${user} (${sessions.length} session(s))`];
  }

  private ban([who, ...more]: string[]): string[] {
    const guard = this.need(this.ctx.services.find('guard'), 'guard');
    if (!who) throw new UsageError('ban whom?');
    const duration = more[0] !== undefined ? parseDuration(more[0]) : undefined;
    const reason = (duration === undefined ? more : more.slice(1)).join(' ') || 'banned by the operator';
    const { ban, kicked } = guard.ban(target(who), duration ?? null, reason);
    const until = ban.until === null ? 'until unbanned' : `until ${formatWhen(ban.until)}`;
    return [`banned ${who} ${until}; ${kicked} session(s) disconnected`];
  }

  private unban([who]: string[]): string[] {
    const guard = this.need(this.ctx.services.find('guard'), 'guard');
    if (!who) throw new UsageError('unban whom?');
    return [guard.unban(target(who)) ? `unbanned ${who}` : `${who} was not banned`];
  }

  private bans(): string[] {
    const bans = this.need(this.ctx.services.find('guard'), 'guard').bans();
    if (bans.length === 0) return ['no bans'];
    return bans.map((b) => {
      const who = 'ip' in b.target ? b.target.ip : b.target.user;
      return `${who}  ${b.until === null ? 'until unbanned' : `until ${formatWhen(b.until)}`}  ${b.reason}`;
    });
  }

  private close([channel]: string[]): string[] {
    const channels = this.need(this.channels(), 'channels');
    if (!channel?.startsWith('#')) throw new UsageError('which #channel?');
    const name = channel.normalize('NFC');
    if (name === channels.defaultChannel) return [`${name} is the default channel and cannot be closed`];
    return [channels.close(name) ? `closed ${name}` : `no channel ${name}`];
  }

  private plugins(): string[] {
    return this.ctx.server.plugins().map((p) => `${p.name}@${p.version}  ${p.state}${p.reason ? ` (${p.reason})` : ''}  ${p.description}`);
  }

  private async backup([file]: string[]): Promise<string[]> {
    const persistence = this.need(this.ctx.services.find('persistence'), 'persistence');
    const result = await persistence.backup(file);
    return [`backup written: ${result.file} (${result.pages} pages in ${Math.round(result.ms)} ms)`];
  }

  private async export(args: string[]): Promise<string[]> {
    const csv = this.need(this.ctx.services.find('csvExport'), 'csv-export');
    let result;
    try {
      result = await csv.exportFromArgs(args);
    } catch (err) {
      throw new UsageError((err as Error).message.split('\n')[0]!);
    }
    return [`exported ${result.rows} line(s) to ${result.file}`];
  }

  private async reload(): Promise<string[]> {
    const result = await this.ctx.server.reload();
    if (!result.ok) return [`reload refused, running configuration kept: ${result.message}`];
    const lines = [`reloaded: stopped [${result.stopped.join(', ')}], started [${result.started.join(', ')}]`];
    if (result.restartNeeded.length) lines.push(`restart needed for: ${result.restartNeeded.join(', ')}`);
    return lines;
  }

  private stop(): string[] {
    void this.ctx.server.stop('admin console');
    return ['stopping'];
  }

  private disconnect(session: Session, text: string): void {
    this.ctx.server.sendError(session, text);
    session.close('kicked');
  }

  private channels() {
    return this.ctx.services.find('channels');
  }

  /** A feature another plugin provides: a clear line when that plugin is off. */
  private need<T>(service: T | undefined, plugin: string): T {
    if (service === undefined) throw new UsageError(`the ${plugin} plugin is not enabled`);
    return service;
  }
}

const target = (who: string): BanTarget => (isIP(who) ? { ip: who } : { user: who.normalize('NFC') });
