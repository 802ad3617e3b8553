/**
 * `classcord new-plugin`: what a student gets must compile, pass its own test against a real server,
 * and be enabled by the printed config line.
 *
 * The generated plugin imports the `classcord` package. Inside this repository that is the package's
 * self-reference, which resolves to `dist/`; the shared `dist/` may be stale or rebuilt by someone
 * else meanwhile, so this test builds core once into a temp "project" (a copy of package.json, the
 * repository's node_modules by symlink, and its own dist/): the same layout as a fresh clone after
 * `npm install`, under the test's control. Only core is built (~5-10 s): plugins are not needed.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pluginFiles, scaffoldPlugin, ScaffoldError } from '../core/scaffold.js';
import { makeTempDir, ROOT, runCli } from './helpers/index.js';

interface Run {
  code: number | null;
  out: string;
}

/** Runs a command line through the shell, as a user types it. */
function sh(command: string, cwd: string): Promise<Run> {
  const child = spawn(command, { cwd, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code, out })));
}

const node = (args: string, cwd: string) => sh(`"${process.execPath}" ${args}`, cwd);
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** The config line is printed alone, indented, between blank lines. */
const printedConfigLine = (stdout: string): string => {
  const line = stdout.split('\n').find((l) => /^ {2}"[a-z0-9-]+": \{ "enabled": true/.test(l));
  if (!line) throw new Error(`no config line in:\n${stdout}`);
  return line.trim();
};
const printedTestCommand = (stdout: string): string => /^test it: +(.+)$/m.exec(stdout)![1]!;

describe('classcord new-plugin (scaffold)', function () {
  this.timeout(60_000);
  let project: string;

  before(async function () {
    this.timeout(180_000);
    project = makeTempDir('classcord-scaffold-');
    copyFileSync(join(ROOT, 'package.json'), join(project, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');
    writeFileSync(
      join(project, 'tsconfig.core.json'),
      JSON.stringify({
        extends: join(ROOT, 'tsconfig.build.json'),
        compilerOptions: { rootDir: ROOT, outDir: join(project, 'dist'), sourceMap: false },
        include: [join(ROOT, 'core', '**', '*.ts')],
        exclude: [join(ROOT, '**', 'test', '**')],
      }),
    );
    const build = await node(`"${TSC}" -p tsconfig.core.json`, project);
    expect(build.out).to.equal('');
    expect(build.code).to.equal(0);
    expect(existsSync(join(project, 'dist', 'core', 'testing', 'index.js'))).to.equal(true);
  });

  after(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  for (const variant of [
    { name: 'dice', flags: [] as string[], dir: 'my-plugins', ext: 'ts' },
    { name: 'quiz-bot', flags: ['--js', '--dir', 'plugins-local'], dir: 'plugins-local', ext: 'js' },
  ]) {
    const label = variant.ext === 'ts' ? 'TypeScript' : 'JavaScript (--js)';

    it(`writes a ${label} plugin that compiles, passes its own test and is enabled by the printed line`, async () => {
      const created = await runCli(['new-plugin', variant.name, ...variant.flags], project);
      expect(created.stderr).to.equal('');
      expect(created.code).to.equal(0);
      const folder = join(project, variant.dir, variant.name);
      for (const file of [`index.${variant.ext}`, `options.${variant.ext}`, `test/${variant.name}.test.${variant.ext}`, 'README.md', 'tsconfig.json']) {
        expect(existsSync(join(folder, file)), file).to.equal(true);
      }
      const index = readFileSync(join(folder, `index.${variant.ext}`), 'utf8');
      expect(index).to.match(/from 'classcord'/);
      if (variant.ext === 'js') expect(index.startsWith('// @ts-check\n')).to.equal(true);

      const line = printedConfigLine(created.stdout);
      expect(line).to.equal(`"${variant.name}": { "enabled": true, "path": "./${variant.dir}/${variant.name}/index.${variant.ext}" }`);

      // It type-checks (the JavaScript through // @ts-check), against the package's declarations.
      const typecheck = await node(`"${TSC}" -p ${variant.dir}/${variant.name}`, project);
      expect(typecheck.out).to.equal('');
      expect(typecheck.code).to.equal(0);

      // Its test passes, run with exactly the printed command (a real server, real sockets).
      const command = printedTestCommand(created.stdout);
      const test = await sh(command, project);
      expect(test.code, test.out).to.equal(0);
      expect(test.out).to.match(/2 passing/);

      // The printed line, pasted into config.json, enables it.
      writeFileSync(join(project, 'config.json'), `{\n  "plugins": {\n    ${line}\n  }\n}\n`);
      const check = await node('dist/core/cli.js check-config config.json', project);
      expect(check.code, check.out).to.equal(0);
      expect(check.out).to.contain(`OK, 1 plugin(s) enabled: ${variant.name}@0.1.0`);
    });
  }

  it('writes a test that fails when the plugin misbehaves', async () => {
    scaffoldPlugin({ name: 'broken', cwd: project });
    const options = join(project, 'my-plugins', 'broken', 'options.ts');
    writeFileSync(options, readFileSync(options, 'utf8').replace("default: 'Hello from broken!'", "default: 'something else'"));
    const test = await sh(`npx mocha --no-config --node-option import=tsx 'my-plugins/broken/test/*.test.ts'`, project);
    expect(test.code).to.equal(1);
    expect(test.out).to.match(/1 passing/).and.match(/1 failing/);
  });

  it('refuses a name that is not kebab-case, a built-in name and a folder in use, writing nothing', () => {
    const cwd = makeTempDir('classcord-scaffold-names-');
    try {
      for (const bad of ['Dice', 'my_bot', '-x', 'x-', '2dice', '../evil', '']) {
        expect(() => scaffoldPlugin({ name: bad, cwd }), bad).to.throw(ScaffoldError, /kebab-case/);
      }
      expect(() => scaffoldPlugin({ name: 'channels', cwd })).to.throw(ScaffoldError, /built-in/);
      expect(existsSync(join(cwd, 'my-plugins'))).to.equal(false);
      mkdirSync(join(cwd, 'my-plugins', 'taken'), { recursive: true });
      writeFileSync(join(cwd, 'my-plugins', 'taken', 'index.ts'), 'mine');
      expect(() => scaffoldPlugin({ name: 'taken', cwd })).to.throw(ScaffoldError, /not empty/);
      expect(readFileSync(join(cwd, 'my-plugins', 'taken', 'index.ts'), 'utf8')).to.equal('mine');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('anchors the printed path at the config file and reports usage errors in one line', async () => {
    const cwd = makeTempDir('classcord-scaffold-cli-');
    try {
      const result = scaffoldPlugin({ name: 'greeter', cwd, dir: 'src/plugins', configFile: 'conf/config.json' });
      expect(result.configLine).to.equal('"greeter": { "enabled": true, "path": "../src/plugins/greeter/index.ts" }');
      expect(result.testCommand).to.equal("npx mocha --no-config --node-option import=tsx './src/plugins/greeter/test/*.test.ts'");
      const bad = await runCli(['new-plugin', 'Bad_Name'], cwd);
      expect(bad.code).to.equal(1);
      expect(bad.stderr.trim().split('\n')).to.have.length(1);
      expect(bad.stderr).to.match(/^classcord: plugin name "Bad_Name" must be kebab-case/);
      const none = await runCli(['new-plugin'], cwd);
      expect(none.code).to.equal(1);
      expect(none.stderr).to.contain('usage: classcord new-plugin <name>');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('generates only from templates: the name appears where it must and nowhere else is hard-coded', () => {
    const files = pluginFiles('weather-bot');
    expect(Object.keys(files).sort()).to.deep.equal(['README.md', 'index.ts', 'options.ts', 'test/weather-bot.test.ts', 'tsconfig.json']);
    expect(files['index.ts']).to.contain("name: 'weather-bot'");
    expect(files['options.ts']).to.contain("default: '!weather-bot'");
    expect(files['test/weather-bot.test.ts']).to.contain("plugins: { 'weather-bot': { path: PLUGIN } }");
    expect(files['README.md']).to.contain('"weather-bot": { "enabled": true, "path": "./my-plugins/weather-bot/index.ts" }');
  });
});
