/**
 * This node's lines not yet copied to the shared PostgreSQL history, read from its own SQLite
 * file: the file is the outbox. A line is committed there before any client sees it (as without
 * the shared history), and copied after; the copied position is kept per target in the file's
 * `shipped` table, so a restart or a PostgreSQL outage loses nothing. Lines replayed from other
 * nodes are not copied: their own node does it. No hooks here.
 */
import type { Db } from '../database.js';
import { fromRow, type Row } from '../history.js';
import type { StoredMessage } from '../service.js';

export class ShippingBacklog {
  private readonly pendingStmt;
  private readonly countStmt;
  private readonly lastStmt;
  private readonly markStmt;
  private readonly newestStmt;

  /** `target` names the shared database (its URL without the password): a new one gets every line. */
  constructor(
    db: Db,
    private readonly target: string,
  ) {
    this.pendingStmt = db.prepare<[number, number], Row>('SELECT * FROM messages WHERE id > ? AND origin IS NULL ORDER BY id LIMIT ?');
    this.countStmt = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM messages WHERE id > ? AND origin IS NULL');
    this.lastStmt = db.prepare<[string], { last_id: number }>('SELECT last_id FROM shipped WHERE target = ?');
    this.markStmt = db.prepare<[string, number]>(
      'INSERT INTO shipped (target, last_id) VALUES (?, ?) ON CONFLICT (target) DO UPDATE SET last_id = max(last_id, excluded.last_id)',
    );
    this.newestStmt = db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM messages');
  }

  /** Row id up to which this node's lines are in the shared database. */
  shippedThrough(): number {
    return this.lastStmt.get(this.target)?.last_id ?? 0;
  }

  /** The next `limit` lines of this node after `shippedThrough()`, in id order. */
  next(limit: number): StoredMessage[] {
    return this.pendingStmt.all(this.shippedThrough(), limit).map(fromRow);
  }

  /** Lines of this node still to copy. */
  size(): number {
    return this.countStmt.get(this.shippedThrough())!.n;
  }

  /** The newest row id in the file now (a point `drain` can wait for). */
  newestId(): number {
    return this.newestStmt.get()!.id ?? 0;
  }

  markShipped(id: number): void {
    this.markStmt.run(this.target, id);
  }
}
