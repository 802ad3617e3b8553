import { ClassCordError } from './errors.js';
import type { Directory } from './directory.js';
import type { UserStore } from './user-store.js';

/**
 * Every service a plugin can provide or use, by name. Provider plugins add their own entries by
 * declaration merging, in their `service.ts`:
 * ```ts
 * declare module 'classcord' { interface ServiceMap { history: HistoryStore } }
 * ```
 */
export interface ServiceMap {
  /** Accounts. Core keeps them in memory unless a plugin (persistence) provides this. */
  userStore: UserStore;
  /** Users online on other nodes; provided by a cluster plugin, absent on a single node. */
  directory: Directory;
}

/** A typed registry of services shared between plugins. */
export interface ServiceRegistry {
  /** Makes `impl` available under `name`; a name can be provided once. */
  provide<K extends keyof ServiceMap>(name: K, impl: ServiceMap[K]): void;
  /** The service, or CC_ERR_SERVICE_MISSING: use it for a declared dependency (`dependsOn`). */
  get<K extends keyof ServiceMap>(name: K): ServiceMap[K];
  /** The service or undefined: use it for an optional feature that goes quiet when absent. */
  find<K extends keyof ServiceMap>(name: K): ServiceMap[K] | undefined;
}

export class Services implements ServiceRegistry {
  private readonly entries = new Map<string, { impl: unknown; owner: string }>();

  /** The registry as seen by one plugin: `provide` records it as the owner. */
  scoped(owner: string): ServiceRegistry {
    return {
      provide: (name, impl) => this.provideAs(owner, name, impl),
      get: (name) => this.get(name),
      find: (name) => this.find(name),
    };
  }

  provide<K extends keyof ServiceMap>(name: K, impl: ServiceMap[K]): void {
    this.provideAs('core', name, impl);
  }

  get<K extends keyof ServiceMap>(name: K): ServiceMap[K] {
    const found = this.find(name);
    if (found === undefined) throw new ClassCordError('CC_ERR_SERVICE_MISSING', `service "${String(name)}" is not provided`);
    return found;
  }

  find<K extends keyof ServiceMap>(name: K): ServiceMap[K] | undefined {
    return this.entries.get(name)?.impl as ServiceMap[K] | undefined;
  }

  /** Which plugin provided a service (for error messages and the admin console). */
  ownerOf(name: keyof ServiceMap): string | undefined {
    return this.entries.get(name)?.owner;
  }

  /** Removes every service `owner` provided (its plugin is being unloaded). */
  withdraw(owner: string): void {
    for (const [name, entry] of this.entries) if (entry.owner === owner) this.entries.delete(name);
  }

  private provideAs(owner: string, name: PropertyKey, impl: unknown): void {
    const existing = this.entries.get(name as string);
    if (existing) {
      throw new ClassCordError('CC_ERR_SERVICE_TAKEN', `service "${String(name)}" is already provided by ${existing.owner}`);
    }
    this.entries.set(name as string, { impl, owner });
  }
}
