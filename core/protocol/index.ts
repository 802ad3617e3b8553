/**
 * The teacher's base protocol (§2–§6), written as core's own taps on the same hooks plugins use.
 * Plugins that pre-process a request tap its type at `Stage.EARLY`; core answers at `Stage.DEFAULT`.
 */
import type { MessageEvent, Verdict } from '../events.js';
import type { ClassCordServer } from '../server.js';
import type { UserStore } from '../user-store.js';
import { Accounts } from './accounts.js';
import { Messages, type MessagesOptions } from './messages.js';
import { Presence } from './presence.js';
import { REQUEST_SCHEMAS } from './schemas.js';

const HANDLED: Verdict = Object.freeze({ handled: true });
const CORE = { name: 'core', plugin: 'core' };

export function installProtocol(server: ClassCordServer, store: () => UserStore, options: MessagesOptions): void {
  const presence = new Presence(server);
  const accounts = new Accounts(server, store, presence);
  const messages = new Messages(server, store, presence, options);

  const handlers: Record<string, (event: MessageEvent) => void | Promise<void>> = {
    register: ({ session, message }) => accounts.register(session, message.username as string, message.password as string),
    login: ({ session, message }) => accounts.login(session, message.username as string, message.password as string),
    message: (event) => messages.message(event),
    private: (event) => messages.privateAlias(event),
    status: ({ session, message }) => presence.status(session, message.state),
    users: ({ session }) => presence.users(session),
  };
  for (const [type, handle] of Object.entries(handlers)) {
    server.api.defineMessageType(type, REQUEST_SCHEMAS[type]!);
    server.hooks.onMessageType.for(type).tapPromise(CORE, async (event) => {
      await handle(event);
      return HANDLED;
    });
  }
  server.hooks.onLeave.tap(CORE, (event) => presence.leave(event));
}
