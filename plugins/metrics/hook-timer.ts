/**
 * Hook latency as a plugin can see it: the metrics plugin taps a hook twice, first (stage
 * FIRST) and last (stage LAST), and records the time between, i.e. what every other tap of that
 * hook took for this event. A bail hook stops at the tap that answers, so a request that a filter
 * rejected, or a connection refused, has no sample. Fan-out is timed from the first
 * onBeforeBroadcast tap to the first onBroadcast tap: the waterfall taps, serialisation and
 * queueing to every recipient (not the network write).
 */
import type { Histogram } from 'prom-client';
import type { PluginHooks } from '../../core/index.js';

/** Fan-outs in flight are keyed by Outbound.id; a broken fan-out must not leak entries forever. */
const MAX_IN_FLIGHT = 10_000;

export class HookTimer {
  /** Before every filter (guard is at −100) and after every observer (+100). */
  static readonly FIRST = -1000;
  static readonly LAST = 1000;
  private readonly started = new WeakMap<object, bigint>();
  private readonly fanOuts = new Map<string, bigint>();

  constructor(
    private readonly hooks: PluginHooks,
    private readonly histogram: Histogram<'hook'>,
  ) {}

  install(name: string): void {
    const first = { name, stage: HookTimer.FIRST };
    const last = { name, stage: HookTimer.LAST };
    const begin = (event: object) => void this.started.set(event, process.hrtime.bigint());
    const end = (hook: string) => (event: object) => {
      const t0 = this.started.get(event);
      if (t0 !== undefined) this.histogram.observe({ hook }, seconds(t0));
      return undefined;
    };
    this.hooks.onConnect.tap(first, (e) => (begin(e), undefined));
    this.hooks.onConnect.tap(last, end('onConnect'));
    this.hooks.onMessage.tap(first, (e) => (begin(e), undefined));
    this.hooks.onMessage.tap(last, end('onMessage'));
    this.hooks.onLeave.tap(first, (e) => begin(e));
    this.hooks.onLeave.tap(last, (e) => void end('onLeave')(e));
    this.hooks.onBeforeBroadcast.tap(first, (out) => {
      if (this.fanOuts.size >= MAX_IN_FLIGHT) this.fanOuts.clear();
      this.fanOuts.set(out.id, process.hrtime.bigint());
      return out;
    });
    this.hooks.onBroadcast.tap(first, ({ id }) => {
      const t0 = this.fanOuts.get(id);
      if (t0 === undefined) return;
      this.fanOuts.delete(id);
      this.histogram.observe({ hook: 'fan-out' }, seconds(t0));
    });
  }
}

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
