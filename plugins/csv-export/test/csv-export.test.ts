/** csv-export: the CLI against real SQLite files written by a real server, read back with fast-csv. */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseString } from 'fast-csv';
import { expect } from 'chai';
import { loggedIn, makeTempDir, runCli, rssBytes, spawnCli, startServer, writeConfig } from '../../../test/helpers/index.js';
import { openDatabase } from '../../persistence/database.js';
import { SqliteHistory } from '../../persistence/history.js';
import { parseDate, parseExportArgs } from '../args.js';
import { COLUMNS, writeExport } from '../exporter.js';

const PLUGINS = {
  persistence: { options: { backup: { intervalMinutes: 0 } } },
  channels: { options: { defaultChannel: '#général', channels: [{ name: '#général' }, { name: '#dev' }] } },
  'csv-export': {},
};
const TRICKY = ['a, b, c', 'il a dit "bonjour"', 'ligne 1\nligne 2\r\nligne 3', 'emoji 😀👍🏽', '#général', '', ' espaces ', "l'apostrophe; et point-virgule"];

function parseCsv(text: string, delimiter = ','): Promise<Array<Record<string, string>>> {
  return new Promise((done, reject) => {
    const rows: Array<Record<string, string>> = [];
    parseString(text, { headers: true, delimiter })
      .on('data', (r: Record<string, string>) => rows.push(r))
      .on('error', reject)
      .on('end', () => done(rows));
  });
}

describe('csv-export', function () {
  this.timeout(120_000);
  let dir: string;

  before(async () => {
    dir = makeTempDir('classcord-export-');
    const server = await startServer({ dir, plugins: PLUGINS });
    const alice = await loggedIn(server.port, 'alice');
    const bob = await loggedIn(server.port, 'bob');
    await alice.next(); // bob online
    for (const content of TRICKY) alice.send({ type: 'message', content });
    for (const content of TRICKY) expect(await bob.next()).to.include({ content });
    bob.send({ type: 'message', channel: '#dev', content: 'dans #dev, "oui"' }); // alice is not in #dev
    bob.send({ type: 'message', subtype: 'private', to: 'alice', content: 'privé' });
    expect(await alice.next()).to.include({ content: 'privé' });
    alice.destroy();
    bob.destroy();
    await server.stop();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips commas, quotes, newlines, emoji and #général through CSV, reference columns first', async () => {
    const out = join(dir, 'all.csv');
    const r = await runCli(['export', '--out', out], dir);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^export: 10 message\(s\) to /);
    expect(r.stderr).to.equal(''); // piped: no progress bar
    const text = readFileSync(out, 'utf8');
    expect(text.split('\n')[0]).to.equal(COLUMNS.join(','));
    const rows = await parseCsv(text);
    expect(rows.slice(0, TRICKY.length).map((row) => [row.sender, row.content, row.channel])).to.deep.equal(TRICKY.map((c) => ['alice', c, '#général']));
    expect(rows[TRICKY.length]).to.include({ sender: 'bob', content: 'dans #dev, "oui"', channel: '#dev', private: '0' });
    expect(rows[TRICKY.length + 1]).to.include({ sender: 'bob', content: 'privé', channel: '', recipient: 'alice', private: '1' });
    expect(rows[0]!.timestamp).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/);
  });

  it('Excel options: `;` and a UTF-8 BOM; a channel filter', async () => {
    const out = join(dir, 'excel.csv');
    const r = await runCli(['export', '--channel', '#général', '--delimiter', ';', '--bom', '--out', out], dir);
    expect(r.code, r.stderr).to.equal(0);
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const rows = await parseCsv(bytes.subarray(3).toString('utf8'), ';');
    expect(rows.map((row) => row.content)).to.deep.equal(TRICKY);
  });

  it('JSON format and date filters', async () => {
    const out = join(dir, 'all.json');
    expect((await runCli(['export', '--format', 'json', '--out', out], dir)).code).to.equal(0);
    const all = JSON.parse(readFileSync(out, 'utf8')) as Array<Record<string, unknown>>;
    expect(all.map((m) => m.content)).to.deep.equal([...TRICKY, 'dans #dev, "oui"', 'privé']);
    expect(Object.keys(all[0]!).slice(0, 4)).to.deep.equal(['sender', 'content', 'timestamp', 'channel']);
    const today = all[0]!.timestamp as string;
    const none = join(dir, 'none.json');
    expect((await runCli(['export', '--format', 'json', '--until', '2000-01-01', '--out', none], dir)).code).to.equal(0);
    expect(JSON.parse(readFileSync(none, 'utf8'))).to.deep.equal([]);
    const day = join(dir, 'day.json');
    expect((await runCli(['export', '--format', 'json', '--since', today.slice(0, 10), '--until', today.slice(0, 10), '--out', day], dir)).code).to.equal(0);
    expect(JSON.parse(readFileSync(day, 'utf8'))).to.have.length(10);
    const bad = await runCli(['export', '--since', 'yesterday'], dir);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.contain('invalid date "yesterday"');
  });

  it('parses dates in local time, a bare --until date covering its whole day', () => {
    expect(parseDate('2026-11-24')).to.equal(new Date(2026, 10, 24).getTime());
    expect(parseDate('2026-11-24', true)).to.equal(new Date(2026, 10, 25).getTime());
    expect(parseDate('2026-11-24T14:06:32.170097')).to.equal(new Date(2026, 10, 24, 14, 6, 32, 170).getTime());
    expect(parseExportArgs(['--channel', '#ge\u0301ne\u0301ral', '--delimiter', 'tab'])).to.deep.equal({ channel: '#général', delimiter: '\t' });
    expect(() => parseExportArgs(['--format', 'xml'])).to.throw('--format must be csv or json');
  });

  it('streams 1,000,000 rows with flat memory (RSS of the export process sampled)', async () => {
    const big = makeTempDir('classcord-export-big-');
    try {
      writeConfig(big, { plugins: { persistence: {}, 'csv-export': {} } });
      const { db } = openDatabase(join(big, 'data', 'classcord.db'), { synchronous: 'OFF', busyTimeoutMs: 1000 });
      const history = new SqliteHistory(db);
      for (let k = 0; k < 10; k++) {
        history.importRows(
          Array.from({ length: 100_000 }, (_, i) => ({
            msgId: `b-${k}-${i}`, at: 1_700_000_000_000 + k * 100_000 + i, timestamp: '2026-11-24T10:00:00.000000',
            sender: `user${i % 50}`, content: `message ${i}, "quoted" ${'x'.repeat(60)}`, channel: '#général', recipient: null, private: false,
          })),
        );
      }
      db.close();
      const out = join(big, 'big.csv');
      const child = spawnCli(['export', '--out', out], big);
      let stdout = '';
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      const samples: number[] = [];
      const done = new Promise<number | null>((resolveExit) => child.on('close', (code) => resolveExit(code)));
      const sampler = setInterval(() => {
        try {
          samples.push(rssBytes(child.pid!));
        } catch {
          // the process just exited
        }
      }, 50);
      const code = await done;
      clearInterval(sampler);
      expect(code).to.equal(0);
      expect(stdout).to.contain('export: 1000000 message(s)');
      const mb = (b: number) => Math.round(b / 1048576);
      const early = samples.slice(0, Math.ceil(samples.length / 4));
      console.log(`      RSS while exporting 1,000,000 rows: ${samples.length} samples, max ${mb(Math.max(...samples))} MiB, max of the first quarter ${mb(Math.max(...early))} MiB`);
      // flat: the peak is not much above the early plateau, and far from what a million rows would take in memory
      expect(Math.max(...samples)).to.be.lessThan(Math.max(...early) + 40 * 1048576);
      expect(Math.max(...samples)).to.be.lessThan(250 * 1048576);
    } finally {
      rmSync(big, { recursive: true, force: true });
    }
  });

  it('writeExport streams any iterable of stored messages (the service path)', async () => {
    const out = join(dir, 'service.csv');
    const rows = [{ id: 1, msgId: 'x', at: 0, timestamp: 't', sender: 's', content: 'a,"b"\nc', channel: null, recipient: 'r', private: true }];
    const result = await writeExport(rows, out, { format: 'csv', delimiter: ',', bom: false });
    expect(result.rows).to.equal(1);
    expect(await parseCsv(readFileSync(out, 'utf8'))).to.deep.equal([{ sender: 's', content: 'a,"b"\nc', timestamp: 't', channel: '', recipient: 'r', private: '1', id: '1' }]);
  });
});
