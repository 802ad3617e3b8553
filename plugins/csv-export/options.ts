import type { JSONSchemaType } from 'ajv';

export interface Options {
  /** Where exports go when no file is named, relative to the data directory. */
  dir: string;
  /** Default format of `classcord export`. */
  format: 'csv' | 'json';
  /** CSV field separator; `;` opens directly in a French Excel. */
  delimiter: ',' | ';' | '\t';
  /** Start CSV files with a UTF-8 BOM, so Excel reads `#général` and emoji correctly. */
  bom: boolean;
  /**
   * The persistence plugin's database file, relative to the data directory, for the CLI (which runs
   * without a server and so without the `history` service). Keep it equal to persistence's `file`.
   */
  database: string;
}

export const optionsSchema: JSONSchemaType<Options> = {
  type: 'object',
  additionalProperties: false,
  properties: {
    dir: { type: 'string', minLength: 1, default: 'exports' },
    format: { type: 'string', enum: ['csv', 'json'], default: 'csv' },
    delimiter: { type: 'string', enum: [',', ';', '\t'], default: ',' },
    bom: { type: 'boolean', default: false },
    database: { type: 'string', minLength: 1, default: 'classcord.db' },
  },
  required: [],
};
