/**
 * system-messages: walo's `system` lines (a private message to someone not connected, D5) and the
 * `systemMessages` service, plus optional arrival, departure, welcome and shutdown notices.
 */
import { definePlugin, type Handled, type Session } from '../../core/index.js';
import type {} from '../channels/service.js';
import { type Options, optionsSchema } from './options.js';
import { PresenceTracker } from './presence-tracker.js';
import { departedElsewhere } from './remote-departure.js';
import { SystemSender } from './system-sender.js';
import { fillTemplate, notConnectedText } from './texts.js';

const HANDLED: Handled = Object.freeze({ handled: true });

export default definePlugin<Options>({
  name: 'system-messages',
  version: '1.0.0',
  description: 'System lines from the server: offline addressee, arrivals, departures, welcome, shutdown',
  optionsSchema,
  apply(ctx) {
    const o = ctx.options;
    const directory = () => ctx.services.find('directory');
    const sender = new SystemSender(ctx.server, () => ctx.services.find('channels'), directory);
    ctx.services.provide('systemMessages', sender);
    const presence = new PresenceTracker<Session>();
    // Applied by a config reload: who is already here must not be announced again, but will depart.
    for (const session of ctx.server.namedSessions()) presence.named(session, session.name!);
    let stopping = false;
    // A name with a session on another node (cluster) neither arrives nor departs here, as core's `status` (D10).
    const elsewhere = (name: string) => directory()?.isOnlineElsewhere(name) ?? false;
    const departure = (user: string) => fillTemplate(o.departureText, { user });

    // COMPAT: walo answers a private message to an absent user with a system line, not an error (D5).
    ctx.hooks.onUndelivered.tap(ctx.name, ({ session, to }) => {
      sender.toSession(session, notConnectedText(to));
      return HANDLED;
    });
    ctx.hooks.onSessionNamed.tap(ctx.name, ({ session, name, kind }) => {
      const { arrived, departed } = presence.named(session, name);
      if (departed !== undefined && o.announceDepartures && !elsewhere(departed)) sender.toAllBut(session, departure(departed));
      if (arrived && o.announceArrivals && !elsewhere(name)) sender.toAllBut(session, fillTemplate(o.arrivalText, { user: name }));
      if (kind === 'user' && o.welcome) sender.toSession(session, fillTemplate(o.welcomeText, { user: name }));
    });
    ctx.hooks.onLeave.tap(ctx.name, ({ session, reason }) => {
      const departed = presence.left(session);
      // At shutdown everyone goes at once; the shutdown notice already said it.
      if (departed === undefined || !o.announceDepartures || stopping || reason === 'shutdown' || elsewhere(departed)) return;
      sender.toAll(departure(departed));
    });
    // The users of a node that died or stopped: each node tells its own users (see remote-departure.ts).
    // Tapped only when needed: onBroadcast runs for every fan-out.
    if (o.announceDepartures) {
      ctx.hooks.onBroadcast.tap(ctx.name, (out) => {
        const departed = stopping ? undefined : departedElsewhere(out);
        if (departed !== undefined) sender.toAllHere(departure(departed));
      });
    }
    ctx.hooks.onServerStop.tap(ctx.name, () => {
      stopping = true;
      // This node's own news: the other nodes keep running.
      if (o.shutdownNotice) sender.toAllHere(o.shutdownText);
    });
  },
});
