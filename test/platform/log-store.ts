/**
 * The platform's append-only transparency log of accepted results, kept in the same sqlite
 * database and appended in the same transaction that stores the result: a result is accepted
 * exactly when its leaf is in the log. Checkpoints and receipts are signed with the log key.
 */
import { canonicalJson } from '../../shared/domain/canonical.js';
import { RECEIPT_SIGNING_CONTEXT } from '../../shared/protocol/index.js';
import type { Receipt, ReceiptLog, ResultUpload } from '../../shared/protocol/index.js';
import type { Db } from './db.js';
import { LogTree, rfc6962Leaf } from './log-tree.js';
import type { Platform } from './state.js';

const tables = new WeakSet<object>();

function ensureTable(db: Db): void {
  if (tables.has(db)) return;
  db.exec(
    'CREATE TABLE IF NOT EXISTS log_entries (idx INTEGER PRIMARY KEY, result_id TEXT NOT NULL, entry_json TEXT NOT NULL)',
  );
  db.exec('CREATE INDEX IF NOT EXISTS log_entries_by_result ON log_entries (result_id)');
  tables.add(db);
}

/** The leaf data: canonical JSON of what the receipt vouches for, the audit checkpoint exactly as uploaded. */
export function logEntryJson(up: ResultUpload): string {
  return canonicalJson({
    resultId: up.payload.resultId,
    contentHash: up.contentHash,
    attachmentHashes: up.attachments.map((a) => ({ id: a.id, sha256: a.sha256 })),
    auditCheckpoint: up.auditCheckpoint,
  });
}

export function logTree(db: Db): LogTree {
  ensureTable(db);
  const rows = db.prepare('SELECT entry_json FROM log_entries ORDER BY idx').all() as { entry_json: string }[];
  return new LogTree(rows.map((r) => rfc6962Leaf(Buffer.from(r.entry_json, 'utf8'))));
}

export function checkpointNote(p: Platform, tree: LogTree, size = tree.size): string {
  return p.logKey.signNote(`${p.logKey.origin}\n${size}\n${tree.root(size).toString('base64')}\n`);
}

/**
 * Appends the result's leaf (call inside the accepting transaction); returns the receipt's log part.
 * The log is append-only, so a result stored again after the platform lost it (restored from an
 * older backup) keeps the entry it already has when that entry is the same.
 */
export function appendToLog(p: Platform, up: ResultUpload): ReceiptLog {
  ensureTable(p.db);
  const entry = logEntryJson(up);
  const logged = p.db
    .prepare('SELECT idx FROM log_entries WHERE result_id = ? AND entry_json = ?')
    .get(up.payload.resultId, entry) as { idx: number } | undefined;
  let index = logged?.idx;
  if (index === undefined) {
    index = (p.db.prepare('SELECT COUNT(*) AS n FROM log_entries').get() as { n: number }).n;
    p.db
      .prepare('INSERT INTO log_entries (idx, result_id, entry_json) VALUES (?, ?, ?)')
      .run(index, up.payload.resultId, entry);
  }
  const tree = logTree(p.db);
  return {
    index,
    treeSize: tree.size,
    leafHash: tree.hash(index, 1).toString('hex'),
    inclusionProof: tree.inclusion(index, tree.size).map((h) => h.toString('hex')),
    checkpoint: checkpointNote(p, tree),
  };
}

/** The receipt with the platform's signature over everything else in it. */
export function signReceipt(p: Platform, receipt: Receipt): Receipt {
  const { signature: _old, ...rest } = receipt;
  const bytes = Buffer.from(RECEIPT_SIGNING_CONTEXT + canonicalJson(rest), 'utf8');
  return { ...rest, signature: p.logKey.sign(bytes).toString('base64') };
}

/**
 * TEST-ONLY: rewrites history the way a dishonest platform would, to show the app notices. `drop`
 * deletes the entry at `index` and closes the gap; `reorder` swaps it with the next one.
 */
export function rewriteLog(db: Db, kind: 'drop' | 'reorder', index: number): void {
  ensureTable(db);
  const rows = db.prepare('SELECT idx, result_id, entry_json FROM log_entries ORDER BY idx').all() as {
    idx: number;
    result_id: string;
    entry_json: string;
  }[];
  if (index < 0 || index >= rows.length || (kind === 'reorder' && index + 1 >= rows.length))
    throw new RangeError(`cannot ${kind} log entry ${index} of ${rows.length}`);
  const next = [...rows];
  if (kind === 'drop') next.splice(index, 1);
  else [next[index], next[index + 1]] = [next[index + 1]!, next[index]!];
  db.transaction(() => {
    db.prepare('DELETE FROM log_entries').run();
    const insert = db.prepare('INSERT INTO log_entries (idx, result_id, entry_json) VALUES (?, ?, ?)');
    next.forEach((r, i) => insert.run(i, r.result_id, r.entry_json));
  })();
}
