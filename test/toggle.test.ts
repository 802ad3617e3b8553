/**
 * Every plugin of the shipped config.json can be switched off alone (with the plugins that depend
 * on it) and the server still boots and chats. All-off is the base protocol (transcripts/base).
 */
import { expect } from 'chai';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PluginDefinition } from '../core/index.js';
import { loggedIn, makeTempDir, ROOT, startServer, TEST_AUTH } from './helpers/index.js';

interface ShippedConfig {
  plugins: Record<string, { enabled?: boolean; path?: string; options?: Record<string, unknown> }>;
  [key: string]: unknown;
}

const shipped = JSON.parse(readFileSync(join(ROOT, 'config.json'), 'utf8')) as ShippedConfig;
const enabled = Object.keys(shipped.plugins).filter((name) => shipped.plugins[name]!.enabled !== false);

async function dependsOn(name: string): Promise<readonly string[]> {
  const entry = shipped.plugins[name]!;
  const file = entry.path ? join(ROOT, entry.path) : join(ROOT, 'plugins', name, 'index.ts');
  const def = (await import(pathToFileURL(file).href)) as { default: PluginDefinition<object> };
  return def.default.dependsOn ?? [];
}

/** `name` and, transitively, every enabled plugin that needs it. */
async function withDependents(name: string): Promise<Set<string>> {
  const off = new Set([name]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const other of enabled) {
      if (off.has(other)) continue;
      if ((await dependsOn(other)).some((d) => off.has(d))) {
        off.add(other);
        grew = true;
      }
    }
  }
  return off;
}

describe('toggling the shipped plugins', () => {
  it('ships at least the logging plugin enabled', () => {
    expect(enabled).to.include('logging');
  });

  for (const name of enabled) {
    it(`boots and chats with "${name}" off`, async () => {
      const off = await withDependents(name);
      const dir = makeTempDir();
      const config: ShippedConfig = { ...structuredClone(shipped), auth: TEST_AUTH };
      for (const p of off) config.plugins[p] = { ...config.plugins[p], enabled: false };
      const file = join(dir, 'config.json');
      writeFileSync(file, JSON.stringify(config));
      const server = await startServer({ configFile: file, dir });
      try {
        const applied = server.logs().filter((l) => l.msg === 'plugin applied').map((l) => l.plugin);
        expect(applied).to.have.members(enabled.filter((p) => !off.has(p)));
        const alice = await loggedIn(server.port, 'alice');
        const bob = await loggedIn(server.port, 'bob');
        expect(await alice.next()).to.deep.equal({ type: 'status', user: 'bob', state: 'online' });
        bob.send({ type: 'message', subtype: 'global', to: 'global', content: `sans ${name}` });
        expect(await alice.next()).to.include({ type: 'message', from: 'bob', content: `sans ${name}` });
        alice.destroy();
        bob.destroy();
      } finally {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
