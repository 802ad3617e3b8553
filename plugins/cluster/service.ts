/**
 * The cluster plugin's public face: the `cluster` service. Other plugins `import type` this file
 * and reach it with `ctx.services.find('cluster')` (soft: absent on a single node).
 */

/** What this node knows about the rest of the cluster. */
export interface ClusterService {
  /** This node's id in the stream and the heartbeat keys (`<nodeName>-<random>`). */
  readonly nodeId: string;
  /** Other live nodes, by id. */
  nodes(): string[];
  /**
   * Names that are members of `channel` on other nodes (each once), for `who`. Joins are seen at
   * once, explicit `leave`s within one heartbeat interval.
   */
  remoteMembers(channel: string): string[];
  /** Events waiting for Redis in this node's outbox. */
  pending(): number;
}

declare module '../../core/services.js' {
  interface ServiceMap {
    cluster: ClusterService;
  }
}
