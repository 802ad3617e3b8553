/**
 * Makes a throwing tap harmless: each tap is wrapped when it registers, so a failure counts as
 * "no opinion" (a bail hook moves on, a waterfall keeps the previous value) instead of aborting
 * the call for every other plugin. Unwrapped, tapable lets one throw end the whole chain.
 */
import type { AnyHook } from './hooks.js';

/** Receives every contained failure. `subject` is the hook's first argument (its event). */
export type TapErrorReporter = (plugin: string, hook: string, error: unknown, subject: unknown) => void;

type Fn = (...args: unknown[]) => unknown;

/** Events whose handling had a tap fail; the dispatcher uses it to answer `Internal error.` */
const failedSubjects = new WeakSet<object>();

/** True when a tap failed while handling this event object. */
export function tapFailedOn(subject: object): boolean {
  return failedSubjects.has(subject);
}

export function containTaps(hookName: string, hook: AnyHook, report: TapErrorReporter): void {
  hook.intercept({
    register(tap) {
      const fn = tap.fn as Fn;
      const owner = tap.plugin ?? tap.name;
      const fail = (err: unknown, args: unknown[]) => {
        const subject = args[0];
        if (subject !== null && typeof subject === 'object') failedSubjects.add(subject);
        report(owner, hookName, err, subject);
      };
      if (tap.type === 'sync') {
        tap.fn = (...args: unknown[]) => {
          try {
            return fn(...args);
          } catch (err) {
            fail(err, args);
            return undefined;
          }
        };
      } else if (tap.type === 'promise') {
        tap.fn = (...args: unknown[]) =>
          Promise.resolve()
            .then(() => fn(...args))
            .catch((err: unknown) => {
              fail(err, args);
              return undefined;
            });
      } else {
        // 'async' (callback style): the last argument is the callback.
        tap.fn = (...args: unknown[]) => {
          const callback = args[args.length - 1] as (err?: unknown, result?: unknown) => void;
          const params = args.slice(0, -1);
          const done = (err?: unknown, result?: unknown) => {
            if (err) {
              fail(err, params);
              callback();
            } else callback(null, result);
          };
          try {
            fn(...params, done);
          } catch (err) {
            done(err);
          }
        };
      }
      return tap;
    },
  });
}
