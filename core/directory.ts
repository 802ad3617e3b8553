/**
 * Who is online beyond this process. On a single node nobody is; a cluster plugin provides the
 * `directory` service so that `users`, private messages and the D4 name checks see the users of
 * the other nodes too.
 */
export interface Directory {
  /** Names online on other nodes (each once), in the order they came online. */
  remoteNames(): readonly string[];
  /** True when `name` has a session on another node. */
  isOnlineElsewhere(name: string): boolean;
}
