/** Small statistics helpers shared by the load generator and the orchestrator. */

/**
 * Nearest-rank percentile of the first `count` values of a numeric array (sorted in place).
 * @param {Float64Array|number[]} values samples; sorted by this call
 * @param {number} p percentile in [0, 100]
 * @param {number} [count] how many leading values are samples (default: all)
 * @returns {number} the percentile, or NaN when there are no samples
 */
export function percentile(values, p, count = values.length) {
  if (count === 0) return NaN;
  const view = values instanceof Float64Array ? values.subarray(0, count) : values.slice(0, count);
  view.sort((a, b) => a - b);
  const rank = Math.min(count - 1, Math.max(0, Math.ceil((p / 100) * count) - 1));
  return view[rank];
}

/**
 * Median of finite numbers; non-numbers (a metric a round did not produce) are skipped.
 * @param {Array<number|null|undefined>} values one value per round
 * @returns {number|null} the median, or null when no round produced the metric
 */
export function median(values) {
  const xs = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}
