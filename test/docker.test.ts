/**
 * Dockerfile, docker-compose.yml and .dockerignore, checked without a Docker engine: the properties
 * the deployment relies on, the files the build copies, and the healthcheck and entry point run
 * for real under a plain `node`.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { LineClient, makeTempDir, ROOT, spawnCli, writeConfig } from './helpers/index.js';

interface Instruction {
  op: string;
  args: string;
  stage: number;
}

/** Dockerfile instructions, continuation lines joined, comments dropped; `stage` counts FROMs. */
function parseDockerfile(text: string): Instruction[] {
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  let stage = -1;
  return lines.map((line) => {
    const [, op, args] = /^(\S+)\s*(.*)$/.exec(line)!;
    if (op!.toUpperCase() === 'FROM') stage += 1;
    return { op: op!.toUpperCase(), args: args!, stage };
  });
}

/** The exec form (`["node", "x"]`) of CMD/HEALTHCHECK as an array. */
const execForm = (args: string): string[] => JSON.parse(args.slice(args.indexOf('['))) as string[];

const dockerfile = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const ops = (op: string, stage?: number) => dockerfile.filter((i) => i.op === op && (stage === undefined || i.stage === stage));
const lastStage = Math.max(...dockerfile.map((i) => i.stage));
const healthcheck = execForm(ops('HEALTHCHECK')[0]!.args.replace(/^.*?CMD\s+/, ''));

/** Minimal YAML reading for the compose file: indentation-based keys and list items, enough to check it. */
const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
const composeLines = compose.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));

describe('Docker files', () => {
  it('builds in two stages on a current Node LTS slim image, with the native build tools only in the build stage', () => {
    const froms = ops('FROM').map((f) => f.args);
    expect(froms).to.have.length(2);
    for (const from of froms) expect(from).to.match(/^node:(22|24)-slim\b/);
    const buildRuns = ops('RUN', 0).map((r) => r.args).join('\n');
    for (const tool of ['python3', 'make', 'g++']) expect(buildRuns).to.match(new RegExp(`apt-get install[^\\n]*\\s${tool.replace('+', '\\+')}(\\s|$)`));
    expect(ops('RUN', lastStage).map((r) => r.args).join('\n')).not.to.match(/apt-get|g\+\+/);
    expect(buildRuns).to.contain('npm run build');
    expect(buildRuns).to.match(/npm prune --omit=dev/);
  });

  it('runs as a non-root user with /app/data as a volume, port 12345, SIGTERM and a healthcheck', () => {
    const user = ops('USER', lastStage);
    expect(user).to.have.length(1);
    expect(user[0]!.args).to.not.match(/^(root|0)(:|$)/);
    // USER comes before CMD so the server never runs as root.
    expect(dockerfile.indexOf(user[0]!)).to.be.lessThan(dockerfile.indexOf(ops('CMD')[0]!));
    expect(ops('VOLUME', lastStage).map((v) => v.args)).to.deep.equal(['/app/data']);
    expect(ops('WORKDIR', lastStage).map((v) => v.args)).to.deep.equal(['/app']);
    expect(ops('EXPOSE', lastStage).map((v) => v.args)).to.deep.equal(['12345']);
    expect(ops('STOPSIGNAL').map((v) => v.args)).to.deep.equal(['SIGTERM']);
    expect(healthcheck[0]).to.equal('node');
    // The config baked into the image serves the port the healthcheck probes.
    const config = JSON.parse(readFileSync(join(ROOT, 'config.json'), 'utf8')) as { server: { port: number; host: string; dataDir: string } };
    expect(config.server).to.include({ port: 12345, host: '0.0.0.0', dataDir: 'data' });
  });

  it('COPYs only files that exist (build context, after .dockerignore)', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const copy of ops('COPY').filter((c) => !/--from=/.test(c.args))) {
      const parts = copy.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const source of parts.slice(0, -1)) {
        expect(existsSync(join(ROOT, source)), `COPY ${source}`).to.equal(true);
        expect(ignored, `${source} is copied but ignored`).not.to.include(source);
      }
    }
    // What the runtime stage takes from the build stage is produced there.
    const fromBuild = ops('COPY', lastStage).filter((c) => /--from=build/.test(c.args)).map((c) => c.args.split(/\s+/).at(-2));
    expect(fromBuild).to.have.members(['/app/package.json', '/app/node_modules', '/app/dist']);
  });

  it('.dockerignore keeps node_modules, data and dist out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    expect(ignored).to.include.members(['node_modules', 'data', 'dist']);
  });

  it('CMD runs the built form of `npm start`', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(execForm(ops('CMD')[0]!.args).join(' ')).to.equal(pkg.scripts.start);
  });

  it('docker-compose.yml publishes 12345, keeps data in a named volume and restarts the server', () => {
    expect(composeLines).to.include('services:');
    expect(compose).to.match(/^\s+- "12345:12345"$/m);
    const mount = /^\s+- ([\w-]+):\/app\/data$/m.exec(compose);
    expect(mount, 'a named volume on /app/data').to.not.equal(null);
    const volumes = compose.slice(compose.search(/^volumes:$/m));
    expect(volumes).to.match(new RegExp(`^  ${mount![1]}:`, 'm'));
    expect(compose).to.match(/^\s+restart: (unless-stopped|always)$/m);
    expect(compose).to.match(/^\s+build: \.$/m);
  });

  describe('run under a plain node', function () {
    this.timeout(30_000);

    it('the healthcheck exits 0 when port 12345 accepts connections and 1 when nothing listens', async function () {
      const probe = (port: number) => spawnSync(process.execPath, healthcheck.slice(1).map((a) => a.replace('12345', String(port))), { timeout: 10_000 });
      const server = createServer((s) => s.destroy());
      // Port 12345 itself may be taken on a shared machine: the same command on a free port.
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      const port = (server.address() as { port: number }).port;
      expect(probe(port).status).to.equal(0);
      await new Promise((done) => server.close(done));
      expect(probe(port).status).to.equal(1);
      expect(healthcheck.join(' ')).to.contain('12345'); // and the image probes the real port
    });

    it('the CLI that CMD runs serves, then exits 0 on SIGTERM (what `docker stop` sends); run from the sources under tsx', async () => {
      const dir = makeTempDir();
      try {
        const config = writeConfig(dir, { plugins: {} });
        const child = spawnCli(['start', '--config', config, '--host', '127.0.0.1', '--port', '0'], dir);
        let out = '';
        child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
        const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
        const deadline = Date.now() + 15_000;
        while (!/"port":(\d+),"msg":"listening on/.test(out) && Date.now() < deadline) await new Promise((d) => setTimeout(d, 50));
        const port = Number(/"port":(\d+),"msg":"listening on/.exec(out)![1]);
        const client = await LineClient.open(port);
        expect(await client.request({ type: 'register', username: 'alice', password: 'pw' })).to.include({ status: 'ok' });
        child.kill('SIGTERM');
        expect(await exited).to.equal(0);
        await client.closed;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
