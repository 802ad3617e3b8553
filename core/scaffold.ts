/**
 * `classcord new-plugin <name> [--js] [--dir DIR]`: writes a student's first plugin, a working one
 * with a passing test, and prints the line that enables it in config.json.
 *
 * The templates are small functions of the name, not a copy of a built-in plugin: built-ins import
 * core by relative path and use project-only helpers, a student's plugin imports the `classcord`
 * package (inside this repository that is the package's self-reference, which resolves to `dist/`).
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';

/**
 * Where plugins go by default: `my-plugins/`, next to config.json. Not `plugins/`, which holds the
 * built-ins that the loader finds by name; the README and config examples already use `my-plugins/`.
 */
export const DEFAULT_PLUGIN_DIR = 'my-plugins';

/** kebab-case: the name is also the folder, the config key and the tap name. */
const NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** What `scaffoldPlugin` is asked to write. */
export interface ScaffoldOptions {
  /** kebab-case plugin name. */
  readonly name: string;
  /** Plain JavaScript (`// @ts-check` + JSDoc) instead of TypeScript. */
  readonly js?: boolean;
  /** Parent folder of the plugin folder, relative to `cwd` (default `my-plugins`). */
  readonly dir?: string;
  /** Base of relative paths (default `process.cwd()`). */
  readonly cwd?: string;
  /** The config file the printed line is meant for; its folder anchors the `path` (default `cwd/config.json`). */
  readonly configFile?: string;
}

/** What was written, and what the user does next. */
export interface ScaffoldResult {
  /** Absolute path of the new plugin folder. */
  readonly folder: string;
  /** Files written, relative to `folder`. */
  readonly files: readonly string[];
  /** The entry to add under `"plugins"` in config.json, e.g. `"dice": { "enabled": true, "path": "./my-plugins/dice/index.ts" }`. */
  readonly configLine: string;
  /** The command that runs the plugin's test, from `cwd`. */
  readonly testCommand: string;
}

/** A usage error of `new-plugin` (bad name, folder already there): one line for the user. */
export class ScaffoldError extends Error {
  override name = 'ScaffoldError';
}

/**
 * The files of a new plugin, by path relative to its folder. Pure: nothing is written.
 * `entryPath` and `testGlob` are shown in its README (the config path and the test command).
 */
export function pluginFiles(name: string, js = false, entryPath = `./${DEFAULT_PLUGIN_DIR}/${name}/index.${js ? 'js' : 'ts'}`, testGlob = `./${DEFAULT_PLUGIN_DIR}/${name}/test/*.test.${js ? 'js' : 'ts'}`): Record<string, string> {
  checkName(name);
  const ext = js ? 'js' : 'ts';
  return {
    [`index.${ext}`]: js ? indexJs(name) : indexTs(name),
    [`options.${ext}`]: js ? optionsJs(name) : optionsTs(name),
    [`test/${name}.test.${ext}`]: js ? testJs(name) : testTs(name),
    'README.md': readme(name, configLine(name, entryPath), testCommand(testGlob, js), relativeFolder(testGlob)),
    'tsconfig.json': tsconfig(),
  };
}

/** Writes the plugin folder; refuses a bad name, a built-in's name or a folder that is not empty. */
export function scaffoldPlugin(options: ScaffoldOptions): ScaffoldResult {
  const { name, js = false } = options;
  checkName(name);
  const ext = js ? 'js' : 'ts';
  const cwd = resolve(options.cwd ?? process.cwd());
  const folder = resolve(cwd, options.dir ?? DEFAULT_PLUGIN_DIR, name);
  const configDir = dirname(resolve(cwd, options.configFile ?? 'config.json'));
  const entryPath = dotSlash(relative(configDir, join(folder, `index.${ext}`)));
  const testGlob = dotSlash(relative(cwd, join(folder, 'test', `*.test.${ext}`)));
  // The config key would shadow the built-in of the same name: confusing for everyone.
  if (existsSync(new URL(`../plugins/${name}/`, import.meta.url))) {
    throw new ScaffoldError(`"${name}" is the name of a built-in plugin; choose another name`);
  }
  if (existsSync(folder) && readdirSync(folder).length > 0) {
    throw new ScaffoldError(`${folder} already exists and is not empty; nothing was written`);
  }
  const files = pluginFiles(name, js, entryPath, testGlob);
  for (const [file, text] of Object.entries(files)) {
    const path = join(folder, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return { folder, files: Object.keys(files), configLine: configLine(name, entryPath), testCommand: testCommand(testGlob, js) };
}

/** One config.json entry on one line, as a user pastes it. */
const configLine = (name: string, entryPath: string): string => `${JSON.stringify(name)}: { "enabled": true, "path": ${JSON.stringify(entryPath)} }`;

// --no-config: inside this repository, .mocharc.json would add the whole suite.
const testCommand = (testGlob: string, js: boolean): string => `npx mocha --no-config${js ? '' : ' --node-option import=tsx'} '${testGlob}'`;

/** `my-plugins/dice/test/*.test.ts` → `my-plugins/dice`. */
const relativeFolder = (testGlob: string): string => testGlob.replace(/\/test\/[^/]*$/, '');

/** The `classcord new-plugin` command: parses its arguments, writes the folder, prints next steps. */
export function newPluginCommand(args: readonly string[]): void {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { js: { type: 'boolean', default: false }, dir: { type: 'string' }, config: { type: 'string' } },
    });
    if (positionals.length !== 1) throw new ScaffoldError('usage: classcord new-plugin <name> [--js] [--dir DIR]');
    const result = scaffoldPlugin({
      name: positionals[0]!,
      js: values.js,
      ...(values.dir !== undefined ? { dir: values.dir } : {}),
      configFile: values.config ?? process.env.CLASSCORD_CONFIG ?? 'config.json',
    });
    const shown = relative(process.cwd(), result.folder) || '.';
    console.log(`created ${shown}${sep}: ${result.files.join(', ')}`);
    console.log(`\nenable it: add this line inside "plugins" in config.json (mind the commas):\n\n  ${result.configLine}\n`);
    console.log(`test it:   ${result.testCommand}`);
  } catch (err) {
    if (!(err instanceof ScaffoldError) && !(err instanceof TypeError && 'code' in err)) throw err;
    // ScaffoldError, or parseArgs' ERR_PARSE_ARGS_* (an unknown option): one line, exit code 1.
    console.error(`classcord: ${err.message}`);
    process.exitCode = 1;
  }
}

function checkName(name: string): void {
  if (!NAME.test(name)) {
    throw new ScaffoldError(`plugin name "${name}" must be kebab-case: lower-case letters and digits, words joined by "-" (e.g. "dice" or "quiz-bot")`);
  }
}

const dotSlash = (path: string): string => {
  const posix = path.split(sep).join('/');
  return posix.startsWith('.') || posix.startsWith('/') ? posix : `./${posix}`;
};

/** The command the generated plugin answers; also its default option. */
const trigger = (name: string) => `!${name}`;
const greeting = (name: string) => `Hello from ${name}!`;

/** The definition's fields, the same in the TypeScript and the JavaScript template. */
function definitionBody(name: string): string {
  return `  name: '${name}', // = the folder and the key in config.json
  version: '0.1.0',
  description: 'Answers ${trigger(name)}',
  optionsSchema,
  apply(ctx) {
    // EARLY runs before core delivers the message (core answers at Stage.DEFAULT).
    ctx.hooks.onMessageType.for('message').tap({ stage: Stage.EARLY }, ({ session, message }) => {
      if (message.content !== ctx.options.trigger) return undefined; // not ours: core delivers it
      session.send({ type: 'system', from: 'server', timestamp: ctx.server.timestamp(), content: ctx.options.reply });
      return { handled: true }; // answered: the others never see the command
    });
  },
`;
}

function indexTs(name: string): string {
  return `/**
 * ${name}: answers \`${trigger(name)}\` with a line from the server. Make it yours: change the
 * options, tap other hooks (docs/hooks.md lists every one), keep logic in sibling files.
 */
import { definePlugin, Stage } from 'classcord';
import { type Options, optionsSchema } from './options.js';

export default definePlugin<Options>({
${definitionBody(name)}});
`;
}

function optionsTs(name: string): string {
  return `import type { PluginDefinition } from 'classcord';

/** Set under \`"options"\` in this plugin's config.json entry; missing keys take the defaults below. */
export interface Options {
  /** The message that triggers the reply. */
  trigger: string;
  /** What the server answers. */
  reply: string;
}

/** Checked when the server starts: a wrong type or an unknown key stops it with a one-line error. */
export const optionsSchema: PluginDefinition<Options>['optionsSchema'] = {
  type: 'object',
  additionalProperties: false,
  required: [],
  properties: {
    trigger: { type: 'string', minLength: 1, default: '${trigger(name)}' },
    reply: { type: 'string', minLength: 1, default: '${greeting(name)}' },
  },
};
`;
}

function indexJs(name: string): string {
  return `// @ts-check
/**
 * ${name}: answers \`${trigger(name)}\` with a line from the server. Make it yours: change the
 * options, tap other hooks (docs/hooks.md lists every one), keep logic in sibling files.
 * \`// @ts-check\` and the JSDoc types give an editor the same checking as TypeScript.
 */
import { Stage } from 'classcord';
import { optionsSchema } from './options.js';

/** @type {import('classcord').PluginDefinition<import('./options.js').Options>} */
const plugin = {
${definitionBody(name)}};
export default plugin;
`;
}

function optionsJs(name: string): string {
  return `// @ts-check
/**
 * Set under \`"options"\` in this plugin's config.json entry; missing keys take the defaults below.
 * @typedef {object} Options
 * @property {string} trigger The message that triggers the reply.
 * @property {string} reply What the server answers.
 */

/**
 * Checked when the server starts: a wrong type or an unknown key stops it with a one-line error.
 * @type {import('classcord').PluginDefinition<Options>['optionsSchema']}
 */
export const optionsSchema = {
  type: 'object',
  additionalProperties: false,
  required: [],
  properties: {
    trigger: { type: 'string', minLength: 1, default: '${trigger(name)}' },
    reply: { type: 'string', minLength: 1, default: '${greeting(name)}' },
  },
};
`;
}

/** The shared body of both tests: it reads like the protocol. */
function testBody(name: string, indent: string): string {
  return [
    `it('answers ${trigger(name)} with the reply from its options', async () => {`,
    `  const alice = await loggedIn(server.port, 'alice');`,
    `  const reply = await alice.request({ type: 'message', subtype: 'global', content: '${trigger(name)}' });`,
    `  expect(reply).to.include({ type: 'system', from: 'server', content: '${greeting(name)}' });`,
    `  await alice.close();`,
    `});`,
    ``,
    `it('lets every other message through', async () => {`,
    `  const bob = await loggedIn(server.port, 'bob');`,
    `  const carol = await loggedIn(server.port, 'carol');`,
    `  bob.send({ type: 'message', subtype: 'global', content: 'salut' });`,
    `  expect(await carol.next()).to.include({ type: 'message', from: 'bob', content: 'salut' });`,
    `  await Promise.all([bob.close(), carol.close()]);`,
    `});`,
  ]
    .map((line) => (line ? indent + line : line))
    .join('\n');
}

function testTs(name: string): string {
  return `import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { loggedIn, startServer, type TestServer } from 'classcord/testing';

/** The plugin under test, by absolute path (the server runs in a temp folder). */
const PLUGIN = fileURLToPath(new URL('../index.ts', import.meta.url));

describe('${name} plugin', function () {
  this.timeout(20_000); // a real server starts in a child process
  let server: TestServer;

  before(async () => {
    server = await startServer({ plugins: { '${name}': { path: PLUGIN } } });
  });
  after(async () => {
    await server?.stop();
    server?.cleanup();
  });

${testBody(name, '  ')}
});
`;
}

function testJs(name: string): string {
  return `// @ts-check
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { loggedIn, startServer } from 'classcord/testing';

/** The plugin under test, by absolute path (the server runs in a temp folder). */
const PLUGIN = fileURLToPath(new URL('../index.js', import.meta.url));

describe('${name} plugin', function () {
  this.timeout(20_000); // a real server starts in a child process
  /** @type {import('classcord/testing').TestServer} */
  let server;

  before(async () => {
    server = await startServer({ plugins: { '${name}': { path: PLUGIN } } });
  });
  after(async () => {
    await server?.stop();
    server?.cleanup();
  });

${testBody(name, '  ')}
});
`;
}

function readme(name: string, line: string, test: string, folder: string): string {
  return `# ${name}

Answers \`${trigger(name)}\` with a \`system\` line to the sender only; every other message goes through.

## Enable it

In config.json, inside \`"plugins"\` (mind the commas between entries):

\`\`\`json
${line}
\`\`\`

Options go in an \`"options"\` object in the same entry, e.g. \`"options": { "reply": "Salut !" }\`.

## Options

| option | default | meaning |
|---|---|---|
| \`trigger\` | \`"${trigger(name)}"\` | the message that triggers the reply |
| \`reply\` | \`"${greeting(name)}"\` | what the server answers |

## Hooks tapped

- \`onMessageType.for('message')\` at \`Stage.EARLY\`: answers the trigger and stops it (\`{ handled: true }\`).

## Test it

\`\`\`sh
${test}
npx tsc -p ${folder}      # type check (JavaScript too, through // @ts-check)
\`\`\`
`;
}

function tsconfig(): string {
  // Lets `npx tsc -p <folder>` and editors check the plugin as the server's own code is checked.
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noImplicitReturns: true,
      allowJs: true,
      checkJs: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node', 'mocha'],
    },
    include: ['**/*.ts', '**/*.js'],
  };
  return JSON.stringify(config, null, 2) + '\n';
}
