/** `register` and `login`: the only requests whose reply must be the very next line (§8.3). */
import type { ClassCordServer } from '../server.js';
import type { Session } from '../session.js';
import type { UserStore } from '../user-store.js';
import type { Presence } from './presence.js';
import { isValidUsername, normalizeName } from './names.js';
import { ERR } from './texts.js';

export class Accounts {
  constructor(
    private readonly server: ClassCordServer,
    private readonly store: () => UserStore,
    private readonly presence: Presence,
  ) {}

  async register(session: Session, username: string, password: string): Promise<void> {
    const name = normalizeName(username);
    if (!isValidUsername(name)) return this.server.sendError(session, ERR.invalidUsername, 'register');
    if (password === '') return this.server.sendError(session, ERR.missingField('password'), 'register');
    await this.withHeldOutput(session, 'register', async () => {
      const created = await this.store().register(name, password);
      if (!created) return this.server.sendError(session, ERR.usernameTaken, 'register');
      session.log.info({ user: name }, 'account registered');
      return session.send({ type: 'register', status: 'ok' });
    });
  }

  async login(session: Session, username: string, password: string): Promise<void> {
    const name = normalizeName(username);
    let ok = false;
    let failure: string = ERR.loginFailed;
    const answered = await this.withHeldOutput(session, 'login', async () => {
      const decided = await this.server.hooks.onAuthenticate.promise({ session, username: name, password });
      if (decided) {
        ok = decided.ok;
        if (!decided.ok && decided.message) failure = decided.message;
      } else {
        ok = isValidUsername(name) && (await this.store().verify(name, password));
      }
      if (!ok) {
        session.log.info({ user: name }, 'login failed');
        this.server.sendError(session, failure, 'login');
        return undefined;
      }
      const previous = session.name;
      session.setName(name, 'user');
      this.server.markNamed(session);
      session.send({ type: 'login', status: 'ok', username: name });
      session.log.info({ user: name }, 'logged in');
      if (previous !== undefined && previous !== name) this.presence.announceGone(session, previous);
      return previous;
    });
    if (ok && answered.done) await this.presence.announceNamed(session, 'user', answered.value);
  }

  /**
   * Runs an account request with fan-out held, so its reply is the next line on the socket.
   * A store that throws answers `Authentication unavailable.` (D3) and is logged.
   */
  private async withHeldOutput<T>(session: Session, type: string, work: () => Promise<T>): Promise<{ done: boolean; value?: T }> {
    session.hold();
    try {
      return { done: true, value: await work() };
    } catch (err) {
      session.log.error({ err, request: type }, 'account store failed');
      this.server.sendError(session, ERR.authUnavailable, type);
      return { done: false };
    } finally {
      session.release();
    }
  }
}
