/**
 * The data flow of one line: framed bytes → decode → JSON envelope → onMessage (filters) →
 * the type's schema → onMessageType.for(type) (the handler that owns it). Every failure on that
 * path becomes an `error` reply to that session; nothing here can stop the server.
 */
import type { ValidateFunction } from 'ajv';
import { tapFailedOn } from './containment.js';
import type { MessageEvent, Verdict } from './events.js';
import { decodeLine, type FramedLine } from './framing.js';
import type { CoreHooks } from './hooks.js';
import { ERR } from './protocol/texts.js';
import type { Session } from './session.js';
import { createAjv } from './validation.js';
import { parseEnvelope } from './wire.js';

export interface DispatcherDeps {
  readonly hooks: CoreHooks;
  readonly invalidUtf8: 'windows-1252' | 'reject';
  sendError(session: Session, message: string, requestType?: string): void;
}

export class Dispatcher {
  private readonly ajv = createAjv();
  private readonly validators = new Map<string, ValidateFunction>();
  /** Sessions already warned about windows-1252 input (one warning each, D2). */
  private readonly warnedCp1252 = new WeakSet<Session>();

  constructor(private readonly deps: DispatcherDeps) {}

  /** See ServerApi.defineMessageType. */
  defineMessageType(type: string, schema: Record<string, unknown>): void {
    this.validators.set(type, this.ajv.compile({ ...schema, $async: false }));
  }

  /** Forgets a type's schema (its plugin was unloaded). */
  removeMessageType(type: string): void {
    this.validators.delete(type);
  }

  /** Handles one framed line of one session; resolves when its reply (if any) is queued. */
  async handle(session: Session, framed: FramedLine): Promise<void> {
    if (framed.kind === 'too-long') return this.deps.sendError(session, ERR.lineTooLong);
    const decoded = decodeLine(framed.bytes);
    if (decoded.fallback) {
      if (this.deps.invalidUtf8 === 'reject') return this.deps.sendError(session, ERR.invalidUtf8);
      if (!this.warnedCp1252.has(session)) {
        this.warnedCp1252.add(session);
        session.log.warn('invalid UTF-8 decoded as windows-1252 (a Windows Java client?)');
      }
    }
    if (decoded.text.trim() === '') return undefined; // D2: blank lines are ignored
    const message = parseEnvelope(decoded.text);
    if (typeof message === 'string') return this.deps.sendError(session, message);
    return this.dispatch({ session, message, bytes: framed.bytes.length });
  }

  /** Runs the hooks for a parsed request (also used for aliases such as `private`). */
  async dispatch(event: MessageEvent): Promise<void> {
    const { session, message } = event;
    const type = message.type;
    const filtered = await this.deps.hooks.onMessage.promise(event);
    if (this.settled(event, filtered, type)) return;
    const invalid = this.validate(type, message);
    if (invalid) return this.deps.sendError(session, invalid, type);
    const hook = this.deps.hooks.onMessageType.get(type);
    if (!hook || !hook.isUsed()) return this.deps.sendError(session, ERR.unknownType, type);
    const verdict = await hook.promise(event);
    if (this.settled(event, verdict, type)) return;
    this.deps.sendError(session, tapFailedOn(event) ? ERR.internal : ERR.unknownType, type);
  }

  /** True when a verdict ended the request (a rejection is answered here). */
  private settled(event: MessageEvent, verdict: Verdict | undefined, type: string): boolean {
    if (!verdict) return false;
    if ('reject' in verdict) this.deps.sendError(event.session, verdict.reject, type);
    return true;
  }

  private validate(type: string, message: object): string | undefined {
    const validator = this.validators.get(type);
    if (!validator || validator(message)) return undefined;
    const error = validator.errors?.[0];
    if (!error) return ERR.invalidMessage;
    const field = error.keyword === 'required' ? String(error.params.missingProperty) : error.instancePath.split('/')[1];
    if (!field) return ERR.invalidMessage;
    return error.keyword === 'required' || error.keyword === 'type' ? ERR.missingField(field) : ERR.invalidField(field);
  }
}
