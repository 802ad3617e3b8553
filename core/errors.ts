/** Internal error codes (like fastify's FST_ERR_*). Wire error texts live in protocol/texts.ts. */
export type ErrorCode =
  | 'CC_ERR_CONFIG_READ'
  | 'CC_ERR_CONFIG_INVALID'
  | 'CC_ERR_LISTEN'
  | 'CC_ERR_PLUGIN_NOT_FOUND'
  | 'CC_ERR_PLUGIN_INVALID'
  | 'CC_ERR_PLUGIN_OPTIONS'
  | 'CC_ERR_PLUGIN_DEPENDENCY_DISABLED'
  | 'CC_ERR_PLUGIN_CYCLE'
  | 'CC_ERR_PLUGIN_APPLY'
  | 'CC_ERR_PLUGIN_TIMEOUT'
  | 'CC_ERR_SERVICE_MISSING'
  | 'CC_ERR_SERVICE_TAKEN'
  /** A plugin command (`classcord <command>`) could not do its job; the message is the one line shown. */
  | 'CC_ERR_PLUGIN_COMMAND';

/**
 * True for a ClassCordError even from another copy of core (a `.ts` plugin loaded through tsx's
 * API from the built server gets its own module instances, so `instanceof` is not enough).
 */
export function isClassCordError(err: unknown): err is ClassCordError {
  return err instanceof Error && err.name === 'ClassCordError' && typeof (err as { code?: unknown }).code === 'string';
}

/** An error core raises on purpose: `code` for programs, `message` is one line for operators. */
export class ClassCordError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ClassCordError';
  }
}
