import { Ajv } from 'ajv';

/** The ajv settings every schema in ClassCord is compiled with. */
export function createAjv(): Ajv {
  return new Ajv({ allErrors: true, useDefaults: true, strict: false });
}

/** Freezes an object graph so validated config and options cannot be changed behind core's back. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
