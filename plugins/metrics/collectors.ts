/**
 * The metric families, in a registry of their own (never prom-client's global one, so a reload
 * that re-applies the plugin does not register them twice). No hooks here: index.ts feeds them.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Collectors {
  readonly registry: Registry;
  readonly connections: Counter<never>;
  readonly sessionsClosed: Counter<'reason'>;
  readonly sendQueueDrops: Counter<never>;
  readonly logins: Counter<'kind'>;
  readonly loginFailures: Counter<never>;
  readonly received: Counter<'type'>;
  readonly fanOuts: Counter<'kind'>;
  readonly deliveries: Counter<'kind'>;
  readonly errorReplies: Counter<'request_type'>;
  readonly pluginErrors: Counter<'plugin' | 'hook'>;
  readonly hookSeconds: Histogram<'hook'>;
}

/** Hook chains are in-process and short: buckets from 50 µs to 2.5 s (a slow tap doing I/O). */
const HOOK_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export function createCollectors(sessions: () => { open: number; named: number }, processMetrics: boolean): Collectors {
  const registry = new Registry();
  const registers = [registry];
  if (processMetrics) collectDefaultMetrics({ register: registry, prefix: 'classcord_' });
  new Gauge({
    name: 'classcord_sessions',
    help: 'Open sessions (TCP and WebSocket), by state: anonymous or named (user or guest)',
    labelNames: ['state'],
    registers,
    collect() {
      const { open, named } = sessions();
      this.set({ state: 'named' }, named);
      this.set({ state: 'anonymous' }, open - named);
    },
  });
  return {
    registry,
    connections: new Counter({ name: 'classcord_connections_total', help: 'Connections accepted (before onConnect filters, so refused ones count)', registers }),
    sessionsClosed: new Counter({ name: 'classcord_sessions_closed_total', help: 'Sessions ended, by close reason', labelNames: ['reason'], registers }),
    sendQueueDrops: new Counter({ name: 'classcord_send_queue_drops_total', help: 'Slow readers dropped because their send queue was full', registers }),
    logins: new Counter({ name: 'classcord_logins_total', help: 'Sessions named: kind="user" (login) or kind="guest"', labelNames: ['kind'], registers }),
    loginFailures: new Counter({ name: 'classcord_login_failures_total', help: 'login requests answered with an error', registers }),
    received: new Counter({ name: 'classcord_messages_received_total', help: 'Well-formed requests received, by type (before filters such as rate limits)', labelNames: ['type'], registers }),
    fanOuts: new Counter({ name: 'classcord_messages_sent_total', help: 'Fan-outs (one per message, status or system line sent to others), by kind', labelNames: ['kind'], registers }),
    deliveries: new Counter({ name: 'classcord_deliveries_total', help: 'Lines queued to recipients by fan-outs, by kind', labelNames: ['kind'], registers }),
    errorReplies: new Counter({ name: 'classcord_error_replies_total', help: 'error lines sent, by request type (none: bad line)', labelNames: ['request_type'], registers }),
    pluginErrors: new Counter({ name: 'classcord_plugin_errors_total', help: 'Plugin taps that threw and were skipped', labelNames: ['plugin', 'hook'], registers }),
    hookSeconds: new Histogram({
      name: 'classcord_hook_duration_seconds',
      help: 'Time spent in the other plugins\' taps of a hook, measured between the metrics plugin\'s first and last tap (see README)',
      labelNames: ['hook'],
      buckets: HOOK_BUCKETS,
      registers,
    }),
  };
}
