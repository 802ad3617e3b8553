/** Wire texts of the cluster plugin (always in the two-key `error` shape, D3). */
export const CLUSTER_ERR = Object.freeze({
  /** The outbox was full: the event reached this node's recipients only. */
  notRelayed: 'Cluster unavailable: not delivered to other nodes.',
});
