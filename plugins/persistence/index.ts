/**
 * persistence: accounts and message history in SQLite (better-sqlite3, embedded), history replay,
 * online backups; optionally a history (and accounts) shared by a cluster's nodes in PostgreSQL.
 * Wiring only: the logic is in the sibling files and in postgres/.
 */
import { definePlugin, Stage } from '../../core/index.js';
import type {} from '../channels/service.js';
import { backupName, backupTo, pruneBackups } from './backup.js';
import { commands } from './commands.js';
import { localHistoryService } from './history-service.js';
import { openStores } from './open.js';
import { openShared, type SharedStores } from './postgres/open-shared.js';
import { type Options, optionsSchema } from './options.js';
import { HistoryRecorder } from './recorder.js';
import { HISTORY_REQUEST_SCHEMA, HistoryReplay } from './replay.js';
import type { BackupResult } from './service.js';
import { BackupSchedule } from './schedule.js';

export default definePlugin<Options>({
  name: 'persistence',
  version: '1.0.0',
  description: 'Accounts (scrypt) and message history in SQLite, history replay, online backups',
  optionsSchema,
  commands,
  apply(ctx) {
    const { backup: backupOptions, history: historyOptions } = ctx.options;
    const channels = () => ctx.services.find('channels');
    const recorder = new HistoryRecorder({
      log: ctx.log,
      sendError: (session, message) => ctx.server.sendError(session, message, 'message'),
      defaultChannel: () => channels()?.defaultChannel,
      timestamp: (at) => ctx.server.timestamp(at),
    });
    let shared: SharedStores | undefined;
    const stores = openStores(ctx.options, ctx.server.dataDir, ctx.server.passwords, ctx.log, {
      onFlush: (rows, err) => {
        recorder.flushed(rows, err);
        if (err === undefined) shared?.kick();
      },
    });
    const { db, file, history: local } = stores;
    recorder.setFile(file);
    recorder.history = local;
    ctx.onClose(() => void db.close()); // LIFO: the handle closes after everything below
    ctx.log.info({ file, ...stores.pragmas }, 'database open');
    if (ctx.options.postgres.url) {
      shared = openShared(ctx.options.postgres, stores, ctx.server.passwords, ctx.log);
      ctx.onClose(() => shared!.close()); // after the last local commit below, before the handle closes
      ctx.log.info({ target: shared.target, accounts: ctx.options.postgres.accounts }, 'shared history in PostgreSQL');
    }
    ctx.onClose(() => local.close());
    const history = shared?.history ?? localHistoryService(local);

    ctx.services.provide('userStore', shared?.users ?? stores.users);
    ctx.services.provide('history', history);
    const backup = async (target?: string): Promise<BackupResult> => {
      const dir = `${ctx.server.dataDir}/${backupOptions.dir}`;
      const result = await backupTo(db, target ?? backupName(dir, file, new Date(ctx.server.now())), backupOptions.pagesPerStep);
      if (target === undefined) pruneBackups(dir, file, backupOptions.keep);
      ctx.log.info({ ...result }, 'backup written');
      return result;
    };
    ctx.services.provide('persistence', { file, backup });
    const schedule = new BackupSchedule(backupOptions.intervalMinutes * 60_000, () => backup(), ctx.log);
    ctx.onClose(() => schedule.stop());

    // Queued as it fans out, committed once per turn right before the turn's lines reach any
    // socket: a message someone received is in the database, even after kill -9.
    ctx.hooks.onBeforeBroadcast.tap({ stage: Stage.OBSERVE }, (out) => {
      recorder.record(out);
      return out;
    });
    ctx.hooks.onBeforeFlush.tap(ctx.name, () => local.flush());

    const replay = new HistoryReplay(history, channels, historyOptions, ctx.log);
    ctx.server.defineMessageType('history', HISTORY_REQUEST_SCHEMA);
    ctx.hooks.onMessageType.for('history').tapPromise(ctx.name, (event) => replay.request(event));
    // channels may be applied after this plugin, or reloaded: (re)subscribe whenever it changes.
    let subscribed: { service: unknown; off: () => void } | undefined;
    const subscribe = () => {
      const service = channels();
      if (service === subscribed?.service) return;
      subscribed?.off();
      subscribed = service && { service, off: service.onJoin((e) => void (e.explicit && replay.replay(e.session, e.channel))) };
    };
    ctx.onClose(() => subscribed?.off());
    subscribe();
    ctx.hooks.onServerStart.tap(ctx.name, subscribe);
    ctx.hooks.onSessionNamed.tap(ctx.name, ({ session, kind }) => {
      subscribe();
      if (historyOptions.replayOnLogin && kind === 'user') void replay.replay(session, channels()?.defaultChannel ?? null);
    });
  },
});
