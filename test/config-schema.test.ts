/** config.schema.json (what editors use) is generated from the code and cannot drift from it. */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildConfigSchema } from '../core/config-schema.js';
import { builtinPlugins } from '../core/plugin-loader.js';
import { createAjv } from '../core/validation.js';
import { ROOT } from './helpers/index.js';

describe('config.schema.json', () => {
  it('matches the schema built from core and the built-in plugins (run `npm run schema` after a change)', async () => {
    const committed = JSON.parse(readFileSync(join(ROOT, 'config.schema.json'), 'utf8')) as unknown;
    expect(committed).to.deep.equal(JSON.parse(JSON.stringify(buildConfigSchema(await builtinPlugins()))));
  });

  it('accepts the shipped config.json and rejects a typo in it', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'config.schema.json'), 'utf8')) as Record<string, unknown>;
    const validate = createAjv().compile(schema);
    const config = JSON.parse(readFileSync(join(ROOT, 'config.json'), 'utf8')) as { server: Record<string, unknown> };
    expect(validate(structuredClone(config)), JSON.stringify(validate.errors)).to.equal(true);
    expect(validate({ ...config, server: { ...config.server, prot: 1 } })).to.equal(false);
  });
});
