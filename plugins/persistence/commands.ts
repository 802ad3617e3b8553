/** CLI commands: `classcord backup [FILE]` and `classcord import-users FILE`; they open the file directly. */
import { dirname, resolve } from 'node:path';
import { ClassCordError, type CommandContext, type PluginCommand } from '../../core/index.js';
import { backupName, backupTo, pruneBackups } from './backup.js';
import { openDatabase } from './database.js';
import { importLegacy, readLegacyFile } from './migrate.js';
import { databaseFile, openStores } from './open.js';
import type { Options } from './options.js';

/** Core prints the message as one line on stderr and exits 1. */
function fail(message: string): never {
  throw new ClassCordError('CC_ERR_PLUGIN_COMMAND', message);
}

const backup: PluginCommand<Options> = {
  name: 'backup',
  usage: 'backup [FILE]',
  description: 'online backup of the database (default: a dated file in the backup directory, with retention)',
  async run(ctx: CommandContext<Options>, args) {
    const source = databaseFile(ctx.options, ctx.dataDir);
    let db;
    try {
      db = openDatabase(source, { ...ctx.options, readonly: true }).db;
    } catch (err) {
      return fail(`backup: cannot open ${source} (${(err as Error).message})`);
    }
    try {
      const dir = resolve(ctx.dataDir, ctx.options.backup.dir);
      const target = args[0] ? resolve(args[0]) : backupName(dir, source, new Date());
      // No chat runs in this process: copy in one step (a live server's writes restart a slow backup).
      const result = await backupTo(db, target, 0);
      const pruned = args[0] ? [] : pruneBackups(dirname(target), source, ctx.options.backup.keep);
      console.log(`backup: ${result.file} (${result.pages} pages, ${result.ms.toFixed(1)} ms)${pruned.length ? `; removed ${pruned.length} old backup(s)` : ''}`);
    } finally {
      db.close();
    }
    return 0;
  },
};

const importUsers: PluginCommand<Options> = {
  name: 'import-users',
  usage: 'import-users FILE',
  description: "import accounts (and messages) from the Python servers' users.pkl or day-4 classcord.db",
  async run(ctx: CommandContext<Options>, args) {
    const file = args[0];
    if (!file) return fail('import-users: usage: classcord import-users FILE');
    let data;
    try {
      data = readLegacyFile(resolve(file));
    } catch (err) {
      return fail(`import-users: ${(err as Error).message}`);
    }
    // The import writes its rows in one transaction.
    const stores = openStores(ctx.options, ctx.dataDir, ctx.passwords, ctx.log);
    try {
      const r = await importLegacy(data, stores.users, stores.history);
      console.log(
        `import-users: ${file} (${r.format}): users ${r.usersAdded} added, ${r.usersSkipped} already present, ${r.usersInvalid} invalid; ` +
          `messages ${r.messagesAdded} added, ${r.messagesSkipped} already present`,
      );
    } finally {
      stores.db.close();
    }
    return 0;
  },
};

export const commands: readonly PluginCommand<Options>[] = [backup, importUsers];
