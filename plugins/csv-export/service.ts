/** The csv-export plugin's public face: the `csvExport` service (the admin console offers it). */

/** What to export and where. */
export interface ExportRequest {
  readonly format: 'csv' | 'json';
  /** Only this channel (NFC). */
  readonly channel?: string;
  /** Epoch ms, inclusive. */
  readonly since?: number;
  /** Epoch ms, exclusive. */
  readonly until?: number;
  /** Target file; default a dated file in the export directory. */
  readonly out?: string;
  /** CSV only; default from the plugin options. */
  readonly delimiter?: ',' | ';' | '\t';
  /** CSV only: write a UTF-8 BOM; default from the plugin options. */
  readonly bom?: boolean;
}

export interface ExportResult {
  readonly file: string;
  readonly rows: number;
  readonly ms: number;
}

export interface CsvExportService {
  /** Streams the matching history to a file (memory stays flat whatever the row count). */
  exportHistory(request: ExportRequest): Promise<ExportResult>;
  /** The same from `classcord export`-style arguments; rejects with a one-line message on a bad one. */
  exportFromArgs(args: readonly string[]): Promise<ExportResult>;
  /** Those arguments, for a usage line. */
  readonly usage: string;
}

declare module '../../core/services.js' {
  interface ServiceMap {
    csvExport: CsvExportService;
  }
}
