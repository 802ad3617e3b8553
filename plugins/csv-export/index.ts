/**
 * csv-export: message history to CSV (fast-csv) or JSON, from the CLI (`classcord export`) and
 * for other plugins through the `csvExport` service. Wiring only.
 */
import { resolve } from 'node:path';
import { definePlugin } from '../../core/index.js';
import type {} from '../persistence/service.js';
import { defaultExportName, EXPORT_USAGE, parseExportArgs } from './args.js';
import { exportCommand } from './commands.js';
import { writeExport } from './exporter.js';
import { type Options, optionsSchema } from './options.js';
import type { CsvExportService } from './service.js';

export default definePlugin<Options>({
  name: 'csv-export',
  version: '1.0.0',
  description: 'Exports message history to CSV or JSON (classcord export, csvExport service)',
  dependsOn: ['persistence'],
  optionsSchema,
  commands: [exportCommand],
  apply(ctx) {
    const history = ctx.services.get('history');
    const exportHistory: CsvExportService['exportHistory'] = (request) => {
      const filter = { channel: request.channel, since: request.since, until: request.until };
      const out = request.out ? resolve(ctx.server.dataDir, request.out) : defaultExportName(resolve(ctx.server.dataDir, ctx.options.dir), request.format, new Date(ctx.server.now()));
      return writeExport(history.iterate(filter), out, {
        format: request.format,
        delimiter: request.delimiter ?? ctx.options.delimiter,
        bom: request.bom ?? ctx.options.bom,
      });
    };
    ctx.services.provide('csvExport', {
      exportHistory,
      // The same grammar as `classcord export`, for the admin console.
      exportFromArgs: async (args) => {
        const parsed = parseExportArgs(args);
        return exportHistory({ ...parsed, format: parsed.format ?? ctx.options.format });
      },
      usage: EXPORT_USAGE,
    });
  },
});
