/** Reads a process's CPU time and memory from /proc (Linux only, like the machines we bench on). */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** Clock ticks per second for /proc/<pid>/stat times (USER_HZ); asked once, 100 on every Linux we know. */
export const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU time (user + system) a process has used so far, in microseconds.
 * @param {number} pid the process
 * @returns {number} µs of CPU since the process started
 */
export function cpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces and parentheses: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1e6) / CLK_TCK;
}

/**
 * Memory of a process from /proc/<pid>/status.
 * @param {number} pid the process
 * @returns {{rssKiB: number, peakRssKiB: number}} current RSS (VmRSS) and peak RSS since start (VmHWM)
 */
export function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKiB: kib('VmRSS'), peakRssKiB: kib('VmHWM') };
}

/**
 * The soft and hard open-files limits of a process (what `ulimit -n` / `ulimit -Hn` show for it).
 * @param {number|'self'} [pid] the process (default: this one)
 * @returns {{soft: number, hard: number}} Infinity for "unlimited"
 */
export function openFilesLimit(pid = 'self') {
  const limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limits);
  const num = (s) => (s === 'unlimited' ? Infinity : Number(s));
  return { soft: num(m?.[1]), hard: num(m?.[2]) };
}
