import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

/**
 * Core's root logger: JSON lines on stdout (pino), ISO times. Core owns it because boot errors
 * happen before any plugin runs; every plugin gets a child with `{ plugin }`.
 */
export function createRootLogger(level: LogLevel = 'info'): Logger {
  return pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
}
