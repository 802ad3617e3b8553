/** The logging plugin's public face: other plugins write audit entries into the activity log. */
export interface ActivityLog {
  /** Appends one entry `{ event, ...fields }` with a timestamp (e.g. admin console commands). */
  record(event: string, fields: Record<string, unknown>): void;
}

declare module '../../core/services.js' {
  interface ServiceMap {
    activityLog: ActivityLog;
  }
}
