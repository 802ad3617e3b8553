/** Boot fails fast with one clear line and exit code 1; good configs boot; check-config agrees. */
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineClient, makeTempDir, ROOT, runCli, startServer, writeConfig } from './helpers/index.js';

const fixture = (name: string) => join(ROOT, 'test/fixtures/plugins', name);

/** Starts with a config and expects the process to exit 1 with one stderr line matching `pattern`. */
async function expectBootFailure(config: Record<string, unknown> | string, pattern: RegExp): Promise<void> {
  const dir = makeTempDir();
  const file = join(dir, 'config.json');
  writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  const result = await runCli(['start', '--config', file, '--host', '127.0.0.1', '--port', '0'], dir);
  expect(result.code, result.stderr).to.equal(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).to.have.length(1);
  expect(lines[0]).to.match(pattern);
  expect(result.stdout).not.to.contain('listening on');
  const check = await runCli(['check-config', file], dir);
  expect(check.code).to.equal(1);
  expect(check.stderr.trim()).to.equal(lines[0]);
}

describe('boot failures', () => {
  it('an unknown plugin name', () =>
    expectBootFailure({ plugins: { 'no-such-plugin': {} } }, /^classcord: plugins\.no-such-plugin: no built-in plugin with this name/));

  it('invalid plugin options name the JSON path', () =>
    expectBootFailure(
      { plugins: { 'needs-options': { path: fixture('needs-options.mjs'), options: { maxChannels: 0 } } } },
      /^classcord: plugins\.needs-options\.options\.maxChannels must be >= 1$/,
    ));

  it('an unknown option key', () =>
    expectBootFailure(
      { plugins: { 'needs-options': { path: fixture('needs-options.mjs'), options: { maxChannels: 2, colour: 'red' } } } },
      /^classcord: plugins\.needs-options\.options: unknown key "colour"$/,
    ));

  it('a missing dependency', () =>
    expectBootFailure(
      { plugins: { depends: { path: fixture('depends.ts') }, 'needs-options': { enabled: false, path: fixture('needs-options.mjs') } } },
      /^classcord: plugins\.depends: depends on "needs-options", which is disabled$/,
    ));

  it('a plugin whose name differs from its config key', () =>
    expectBootFailure({ plugins: { other: { path: fixture('depends.ts') } } }, /^classcord: plugins\.other: not a valid plugin: its name is "depends"/));

  it('a plugin path that does not exist', () =>
    expectBootFailure({ plugins: { ghost: { path: './nope.js' } } }, /^classcord: plugins\.ghost\.path: file not found: .*nope\.js$/));

  it('invalid core config names the JSON path', () => expectBootFailure({ server: { port: 70000 } }, /^classcord: server\.port must be <= 65535 \(/));

  it('an unknown core key', () => expectBootFailure({ server: { prot: 1 } }, /^classcord: server: unknown key "prot"/));

  it('a config file that is not JSON', () => expectBootFailure('{ "server": ', /^classcord: .*config\.json: not valid JSON/));

  it('a config file that does not exist', async () => {
    const dir = makeTempDir();
    const result = await runCli(['start', '--config', join(dir, 'missing.json')], dir);
    expect(result.code).to.equal(1);
    expect(result.stderr.trim()).to.match(/^classcord: .*missing\.json: cannot read \(ENOENT\)$/);
  });

  it('a port already in use', async () => {
    const first = await startServer();
    try {
      const dir = makeTempDir();
      const result = await runCli(['start', '--config', writeConfig(dir), '--host', '127.0.0.1', '--port', String(first.port)], dir);
      expect(result.code).to.equal(1);
      expect(result.stderr.trim()).to.equal(`classcord: cannot listen on 127.0.0.1:${first.port}: EADDRINUSE`);
    } finally {
      await first.stop();
      first.cleanup();
    }
  });
});

describe('plugin loading', () => {
  it('loads user plugins from .ts, .mjs and .js in dependency order and validates their options', async () => {
    const server = await startServer({
      plugins: {
        // Listed before its dependency: the loader must apply needs-options first.
        depends: { path: fixture('depends.ts') },
        'needs-options': { path: fixture('needs-options.mjs'), options: { maxChannels: 3 } },
        'echo-type': { path: fixture('echo-type.js') },
      },
    });
    try {
      const applied = server.logs().filter((l) => l.msg === 'plugin applied').map((l) => l.plugin);
      expect(applied).to.deep.equal(['needs-options', 'depends', 'echo-type']);
      const c = await LineClient.open(server.port);
      expect(await c.request({ type: 'echo', text: 'hi' })).to.deep.equal({ type: 'echo', reply: 'pong', text: 'hi' });
      expect(await c.request({ type: 'echo' })).to.deep.equal({ type: 'error', message: 'Missing field: text.' });
      c.destroy();
    } finally {
      await server.stop();
      server.cleanup();
    }
  });

  it('check-config reports the enabled plugins of the shipped config.json', async () => {
    const result = await runCli(['check-config', join(ROOT, 'config.json')], ROOT);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/config\.json: OK, \d+ plugin\(s\) enabled: .*logging@/);
  });
});
