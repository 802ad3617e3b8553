/**
 * docs/hooks.md cannot drift from the code: every hook of `PluginHooks`, its tapable kind (from
 * `createHooks`), its event type and every field of it (core/events.ts, inherited ones included),
 * its result types and their fields, and the `Stage` values must appear in the hook's section, and
 * no section may describe a hook that no longer exists. docs/plugins.md must use only real hooks.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { ROOT } from './helpers/index.js';

const parse = (file: string) => ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true);
const hooksSrc = parse('core/hooks.ts');
const eventsSrc = parse('core/events.ts');

function find<T extends ts.Node>(root: ts.Node, test: (n: ts.Node) => n is T): T[] {
  const found: T[] = [];
  const visit = (n: ts.Node) => {
    if (test(n)) found.push(n);
    n.forEachChild(visit);
  };
  visit(root);
  return found;
}

/** Hook name → event type and result type text, from the tap-only `PluginHooks` view. */
function pluginHooks(): Map<string, { event: string; result: string | undefined }> {
  const decl = find(hooksSrc, ts.isInterfaceDeclaration).find((d) => d.name.text === 'PluginHooks')!;
  const hooks = new Map<string, { event: string; result: string | undefined }>();
  for (const member of decl.members) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    // `AsyncTaps<E, R>`, or `{ for(type): AsyncTaps<E, R> }` for the HookMap.
    const ref = find(member.type, ts.isTypeReferenceNode).find((r) => /Taps$/.test(r.typeName.getText()))!;
    const [event, result] = ref.typeArguments!.map((a) => a.getText());
    hooks.set(member.name.getText(), { event: event!, result });
  }
  return hooks;
}

/** Hook name → tapable class, from the `new X(...)` calls in `createHooks`. */
function hookKinds(): Map<string, string> {
  const kinds = new Map<string, string>();
  for (const p of find(hooksSrc, ts.isPropertyAssignment)) {
    if (ts.isNewExpression(p.initializer)) kinds.set(p.name.getText(), p.initializer.expression.getText());
  }
  return kinds;
}

/** Property names of an interface (with what it extends) or of a type alias's object literals. */
function fieldsOf(typeName: string): string[] {
  const iface = find(eventsSrc, ts.isInterfaceDeclaration).find((d) => d.name.text === typeName);
  if (iface) {
    const inherited = (iface.heritageClauses ?? []).flatMap((h) => h.types.flatMap((t) => fieldsOf(t.expression.getText())));
    return [...inherited, ...iface.members.filter(ts.isPropertySignature).map((m) => m.name.getText())];
  }
  const alias = find(eventsSrc, ts.isTypeAliasDeclaration).find((d) => d.name.text === typeName);
  if (alias) return [...new Set(find(alias.type, ts.isPropertySignature).map((m) => m.name.getText()))];
  throw new Error(`${typeName} is not declared in core/events.ts`);
}

const doc = readFileSync(join(ROOT, 'docs', 'hooks.md'), 'utf8');
/** The text of `## \`hook\`` up to the next `## `. */
const sections = new Map(
  doc
    .split(/^## /m)
    .slice(1)
    .map((s) => [/^`([^`]+)`/.exec(s)?.[1] ?? s.split('\n')[0]!, s] as const),
);

describe('docs/hooks.md matches core/hooks.ts and core/events.ts', () => {
  const hooks = pluginHooks();
  const kinds = hookKinds();

  it('finds the hooks in the code (the parser itself works)', () => {
    expect(hooks.size).to.be.greaterThan(10);
    expect(hooks.get('onConnect')).to.deep.equal({ event: 'ConnectEvent', result: 'Refusal | undefined' });
    expect(kinds.get('onMessageType')).to.equal('HookMap');
    expect(fieldsOf('BroadcastEvent')).to.include.members(['delivered', 'recipients', 'payload']);
    expect(fieldsOf('AuthResult')).to.have.members(['ok', 'message']);
  });

  it('has one section per hook, and none for a hook that does not exist', () => {
    expect([...sections.keys()].sort()).to.deep.equal([...hooks.keys()].sort());
  });

  for (const [hook, { event, result }] of pluginHooks()) {
    it(`documents ${hook}: kind, event, every field, result`, () => {
      const text = sections.get(hook) ?? '';
      const kind = hookKinds().get(hook)!;
      // The HookMap's entries are the message hooks: AsyncSeriesBailHook.
      for (const k of kind === 'HookMap' ? ['HookMap', 'AsyncSeriesBailHook'] : [kind]) expect(text, `${hook} kind`).to.contain(`\`${k}\``);
      expect(text, `${hook} event`).to.contain(`**Event:** \`${event}\``);
      for (const field of fieldsOf(event)) expect(text, `${hook}: field ${event}.${field}`).to.contain(`\`${field}\``);
      const results = (result ?? '').split('|').map((t) => t.trim()).filter((t) => t !== '' && t !== 'undefined' && t !== 'void');
      if (results.length === 0) expect(text, `${hook} result`).to.contain('**A tap returns:** nothing');
      for (const r of results) {
        expect(text, `${hook} result ${r}`).to.contain(`\`${r}`);
        // A result field shows in backticks or in a literal such as `{ ok: true }`.
        for (const field of fieldsOf(r)) expect(text, `${hook}: result field ${r}.${field}`).to.match(new RegExp(`\`${field}\`|\\{ ${field}\\b`));
      }
    });
  }

  it('lists every Stage with its value', () => {
    const stage = find(hooksSrc, ts.isVariableDeclaration).find((d) => d.name.getText() === 'Stage')!;
    const entries = find(stage, ts.isPropertyAssignment).map((p) => [p.name.getText(), p.initializer.getText()] as const);
    expect(entries.length).to.be.greaterThan(2);
    for (const [name, value] of entries) expect(doc).to.match(new RegExp(`\\| \`Stage\\.${name}\` \\| ${value} \\|`));
  });

  it('docs/plugins.md names only hooks that exist, and links the reference', () => {
    const tutorial = readFileSync(join(ROOT, 'docs', 'plugins.md'), 'utf8');
    const named = new Set([...tutorial.matchAll(/\bhooks\.(on[A-Za-z]+)/g)].map((m) => m[1]!));
    expect(named.size).to.be.greaterThan(0);
    for (const hook of named) expect(hooks.has(hook), hook).to.equal(true);
    expect(tutorial).to.contain('(hooks.md)');
  });
});
