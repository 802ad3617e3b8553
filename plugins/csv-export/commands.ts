/** `classcord export …`: streams history from the SQLite file to CSV or JSON. */
import { resolve } from 'node:path';
import { ClassCordError, type CommandContext, type PluginCommand } from '../../core/index.js';
import { defaultExportName, EXPORT_USAGE, parseExportArgs } from './args.js';
import { progressBar, writeExport } from './exporter.js';
import type { Options } from './options.js';
import { openFileHistory } from './source.js';

/** Core prints the message as one line on stderr and exits 1. */
function fail(message: string): never {
  throw new ClassCordError('CC_ERR_PLUGIN_COMMAND', `export: ${message}`);
}

export const exportCommand: PluginCommand<Options> = {
  name: 'export',
  usage: EXPORT_USAGE,
  description: 'export message history (all, by channel, by date) to CSV or JSON',
  async run(ctx: CommandContext<Options>, args) {
    let request;
    try {
      request = parseExportArgs(args);
    } catch (err) {
      return fail(`${(err as Error).message}\nusage: classcord ${EXPORT_USAGE}`);
    }
    const format = request.format ?? ctx.options.format;
    const file = resolve(ctx.dataDir, ctx.options.database);
    let history;
    try {
      history = openFileHistory(file);
    } catch (err) {
      return fail(`cannot read ${file} (${(err as Error).message}); is plugins.csv-export.options.database the persistence file?`);
    }
    try {
      const filter = { channel: request.channel, since: request.since, until: request.until };
      const out = request.out ? resolve(request.out) : defaultExportName(resolve(ctx.dataDir, ctx.options.dir), format, new Date());
      const onProgress = progressBar(history.count(filter));
      const result = await writeExport(history.iterate(filter), out, {
        format,
        delimiter: request.delimiter ?? ctx.options.delimiter,
        bom: request.bom ?? ctx.options.bom,
        ...(onProgress ? { onProgress } : {}),
      });
      console.log(`export: ${result.rows} message(s) to ${result.file} (${result.ms.toFixed(0)} ms)`);
    } finally {
      history.close();
    }
    return 0;
  },
};
