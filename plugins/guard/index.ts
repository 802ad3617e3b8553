/**
 * guard: the built-in fail2ban. Connection limits per IP, a token bucket per connection, login
 * throttling with automatic IP bans, a login deadline and an optional idle timeout. Every block
 * writes one `warn` line `guard: blocked ip=<ip> reason=<reason>` and the client gets an `error`.
 */
import { join } from 'node:path';
import { definePlugin, Stage, WIRE_ERRORS, type Session } from '../../core/index.js';
import { Guard, normalizeIp, type Decision } from './guard.js';
import { type Options, optionsSchema } from './options.js';
import type { GuardService } from './service.js';
import { SessionTimers } from './session-timers.js';
import { GUARD_ERR, blockedLine } from './texts.js';

export default definePlugin<Options>({
  name: 'guard',
  version: '1.0.0',
  description: 'Connection limits, rate limits, login throttling and bans',
  optionsSchema,
  apply(ctx) {
    const { options, server, log } = ctx;
    const guard = new Guard(options, () => server.now(), log, options.persistBans ? join(server.dataDir, 'guard', 'bans.json') : undefined);
    const loaded = guard.banList.load(server.now());
    if (loaded > 0) log.info({ bans: loaded }, 'bans restored');
    const admitted = new WeakSet<Session>();
    const attempted = new WeakMap<Session, string>();
    const guardStage = { stage: Stage.GUARD };

    /** Tells the client why, then closes (the error line is flushed before the FIN). */
    const refuse = (session: Session, decision: Decision & { allow: false }, reason = 'kicked') => {
      server.sendError(session, decision.error);
      if (decision.disconnect) session.close(reason);
    };
    const expire = (text: string, reason: string) => (session: Session) => {
      log.warn(blockedLine(normalizeIp(session.remoteAddress), reason));
      server.sendError(session, text);
      session.close(reason);
    };
    const deadline = new SessionTimers(options.loginDeadlineMs, expire(GUARD_ERR.loginDeadline, 'login-deadline'));
    const idle = new SessionTimers(options.idleTimeoutMs, expire(GUARD_ERR.idle, 'idle-timeout'));

    ctx.hooks.onConnect.tap(guardStage, ({ session }) => {
      const decision = guard.connect(session.remoteAddress);
      if (!decision.allow) {
        server.sendError(session, decision.error);
        return { refuse: decision.reason };
      }
      admitted.add(session);
      deadline.start(session);
      idle.start(session);
      return undefined;
    });

    ctx.hooks.onLeave.tap(guardStage, ({ session }) => {
      deadline.clear(session);
      idle.clear(session);
      if (admitted.delete(session)) guard.disconnect(session.remoteAddress);
    });

    ctx.hooks.onSessionNamed.tap(guardStage, ({ session }) => deadline.clear(session));

    ctx.hooks.onMessage.tapPromise(guardStage, async ({ session }) => {
      idle.start(session);
      if (options.messages.mode === 'delay') {
        // Waiting here holds this connection's later lines too (they are handled in order), and
        // its socket pauses past 64 pending lines: a flooder slows itself down, memory stays bounded.
        // delayFor takes the token once one is there; until then it says how long to wait.
        for (let wait = guard.delayFor(session); wait > 0; wait = guard.delayFor(session)) {
          await new Promise((done) => setTimeout(done, wait));
        }
        return undefined;
      }
      const decision = guard.request(session);
      if (decision.allow) return undefined;
      refuse(session, decision, 'rate-limit');
      return { handled: true }; // the error is already sent
    });

    ctx.hooks.onAuthenticate.tap(guardStage, ({ session, username }) => {
      const decision = guard.loginAllowed(username, session.remoteAddress);
      if (decision.allow) {
        attempted.set(session, username);
        return undefined;
      }
      if (decision.disconnect) setImmediate(() => session.close('banned'));
      return { ok: false, message: decision.error }; // refused before any hash is computed
    });

    ctx.hooks.onErrorReply.tap(guardStage, ({ session, message, requestType }) => {
      const username = attempted.get(session);
      if (requestType !== 'login' || message !== WIRE_ERRORS.loginFailed || username === undefined) return;
      attempted.delete(session);
      const ban = guard.loginFailed(username, session.remoteAddress);
      if (ban) kickMatching((s) => normalizeIp(s.remoteAddress) === normalizeIp(session.remoteAddress));
    });

    ctx.hooks.onSessionNamed.tap(guardStage, ({ session, name, kind }) => {
      if (kind === 'user') guard.loginSucceeded(name);
      attempted.delete(session);
    });

    const kickMatching = (match: (s: Session) => boolean): number => {
      const targets = server.sessions().filter(match);
      for (const s of targets) {
        server.sendError(s, GUARD_ERR.banned);
        s.close('banned');
      }
      return targets.length;
    };

    const service: GuardService = {
      bans: () => guard.banList.list(server.now()),
      ban(target, durationMs, reason) {
        const ban = guard.ban(target, durationMs, reason);
        const kicked = kickMatching((s) => ('ip' in target ? normalizeIp(s.remoteAddress) === normalizeIp(target.ip) : s.name === target.user));
        log.warn({ target, until: ban.until, reason, kicked }, 'ban added');
        return { ban, kicked };
      },
      unban: (target) => guard.banList.remove(target),
    };
    ctx.services.provide('guard', service);
  },
});
