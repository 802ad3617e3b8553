/**
 * The toggle matrix of issue 4: the shipped config.json with channels on/off × system-messages
 * on/off (every other plugin as shipped). Each mode replays the recorded transcripts that must
 * pass in it, and the ones that must fail, to show the switch really changes the wire.
 */
import { expect } from 'chai';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { makeTempDir, ROOT, startServer, type TestServer } from '../../../test/helpers/index.js';
import { TRANSCRIPTS, transcriptFiles } from '../../../test/transcripts/fixtures.js';
import { loadTranscript, replayTranscript } from '../../../test/transcripts/runner.js';

interface Mode {
  channels: boolean;
  systemMessages: boolean;
  /** Transcript prefixes whose files must all pass, minus `fail`. */
  pass: string[];
  /** Files that must fail, with what their report must mention. */
  fail: Record<string, RegExp>;
}

const MODES: Mode[] = [
  // The default config: walo's server (D6, D11); the base server broadcast #dev to everyone.
  { channels: true, systemMessages: true, pass: ['walo-'], fail: { 'base-channels.jsonl': /ping dev/ } },
  // Base mode: walo's two channel-specific transcripts fail, as they do against the teacher's server (§7.2).
  {
    channels: false,
    systemMessages: false,
    pass: ['base-'],
    fail: { 'walo-channels.jsonl': /ping dev/, 'walo-private-message.jsonl': /is not connected\./ },
  },
  // Channels alone: an offline addressee gets core's error instead of walo's system line (D5).
  {
    channels: true,
    systemMessages: false,
    pass: ['walo-'],
    fail: { 'walo-private-message.jsonl': /is not connected\./, 'base-channels.jsonl': /ping dev/ },
  },
  // System messages alone: broadcast to everyone like base, walo's system line for offline addressees.
  { channels: false, systemMessages: true, pass: ['base-', 'walo-'], fail: { 'walo-channels.jsonl': /ping dev/ } },
];

const shipped = JSON.parse(readFileSync(join(ROOT, 'config.json'), 'utf8')) as { plugins: Record<string, { enabled?: boolean }> };

async function startMode(mode: Mode): Promise<{ server: TestServer; dir: string }> {
  const config = structuredClone(shipped);
  config.plugins.channels = { ...config.plugins.channels, enabled: mode.channels };
  config.plugins['system-messages'] = { ...config.plugins['system-messages'], enabled: mode.systemMessages };
  const dir = makeTempDir('classcord-matrix-');
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify(config));
  return { server: await startServer({ configFile, dir }), dir };
}

describe('toggle matrix: channels × system-messages, replaying transcripts', () => {
  it('starts from a shipped config.json with both plugins on', () => {
    expect(shipped.plugins.channels?.enabled).to.equal(true);
    expect(shipped.plugins['system-messages']?.enabled).to.equal(true);
  });

  for (const mode of MODES) {
    describe(`channels ${mode.channels ? 'on' : 'off'}, system-messages ${mode.systemMessages ? 'on' : 'off'}`, () => {
      let started: { server: TestServer; dir: string } | undefined;
      before(async () => {
        started = await startMode(mode);
      });
      after(async () => {
        await started?.server.stop();
        if (started) rmSync(started.dir, { recursive: true, force: true });
      });

      const passing = mode.pass.flatMap((prefix) => transcriptFiles(TRANSCRIPTS, prefix)).filter((f) => !(basename(f) in mode.fail));
      for (const file of passing) {
        it(`passes ${basename(file)}`, async () => {
          const result = await replayTranscript(loadTranscript(file), { port: started!.server.port });
          if (!result.ok) throw new Error(result.report);
        });
      }
      for (const [name, mentions] of Object.entries(mode.fail)) {
        it(`fails ${name} (the switch changes the wire)`, async () => {
          const result = await replayTranscript(loadTranscript(join(TRANSCRIPTS, name)), { port: started!.server.port });
          expect(result.ok, result.report).to.equal(false);
          expect(result.report).to.match(mentions);
        });
      }
    });
  }
});
