/**
 * The secrets file: one JSON document under userData holding each named secret (sealed with
 * safeStorage, or stored as given when it is already protected by other means). Its job is to never
 * block sign-in and to never be left half-written:
 *  - a file that does not parse is set aside as `<name>.bad` (a previous `.bad` is kept: the new one
 *    gets a timestamp suffix) and the app continues with an empty store — the worst case is that
 *    inspectors sign in online again, never that nobody can sign in;
 *  - an empty file (e.g. a crash on a file system that lost the data of an un-synced write) is an
 *    empty store;
 *  - writes are serialised, one at a time in call order, each to a temp file that is fsynced, renamed
 *    over the file, after which the directory is fsynced so the rename itself survives a power cut.
 * The file belongs to this process alone (single-instance lock), so the parsed content is cached.
 */
import { randomUUID } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Log } from '../security.js';

const EntrySchema = z.object({ sealed: z.boolean(), data: z.string() }).strict();
export type SecretEntry = z.infer<typeof EntrySchema>;
const FileSchema = z.object({ v: z.literal(1), entries: z.record(z.string(), EntrySchema) }).strict();

export type SecretEntries = Readonly<Record<string, SecretEntry>>;

export interface FileHandleLike {
  writeFile(data: string, encoding: 'utf8'): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The parts of node:fs/promises the store uses (tests pass a recording wrapper). */
export interface SecretsFs {
  readFile(file: string, encoding: 'utf8'): Promise<string>;
  mkdir(dir: string, options: { recursive: true }): Promise<unknown>;
  open(file: string, flags: string, mode?: number): Promise<FileHandleLike>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  access(file: string): Promise<void>;
}

export interface SecretsFile {
  /** The entries after every write requested before this call. */
  read(): Promise<SecretEntries>;
  /**
   * Applies `change` to a copy of the entries and writes the result, after every earlier write.
   * The cached entries change only once the write succeeded.
   */
  update<T>(change: (entries: Record<string, SecretEntry>) => T): Promise<T>;
}

export interface SecretsFileOptions {
  readonly file: string;
  readonly log: Log;
  readonly platform?: string;
  readonly fs?: SecretsFs;
  readonly now?: () => Date;
}

export function createSecretsFile(options: SecretsFileOptions): SecretsFile {
  const fs = options.fs ?? nodeFs;
  const now = options.now ?? (() => new Date());
  let cache: Record<string, SecretEntry> | null = null;
  let tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` after everything queued before it; a failed task does not stop the queue. */
  function enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  }

  async function entries(): Promise<Record<string, SecretEntry>> {
    cache ??= await load(fs, options, now);
    return cache;
  }

  return {
    read: () => enqueue(async () => ({ ...(await entries()) })),
    update: (change) =>
      enqueue(async () => {
        const next = { ...(await entries()) };
        const result = change(next);
        await writeAtomically(
          fs,
          options.file,
          JSON.stringify({ v: 1, entries: next }),
          options.platform ?? process.platform,
        );
        cache = next;
        return result;
      }),
  };
}

async function load(fs: SecretsFs, options: SecretsFileOptions, now: () => Date): Promise<Record<string, SecretEntry>> {
  let text: string;
  try {
    text = await fs.readFile(options.file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  if (text.trim() === '') return {};
  const parsed = parse(text);
  if (parsed !== null) return parsed;
  const badPath = await setAside(fs, options.file, now);
  options.log('secrets file unreadable: set aside, starting with an empty store', {
    file: options.file,
    movedTo: badPath,
  });
  return {};
}

function parse(text: string): Record<string, SecretEntry> | null {
  try {
    const parsed = FileSchema.safeParse(JSON.parse(text));
    return parsed.success ? { ...parsed.data.entries } : null;
  } catch {
    return null;
  }
}

/** Moves the unreadable file to `<file>.bad`, or `<file>.bad-<timestamp>[-n]` if that is taken. */
async function setAside(fs: SecretsFs, file: string, now: () => Date): Promise<string> {
  const stamp = now().toISOString().replace(/[:.]/g, '-');
  const candidates = [`${file}.bad`, `${file}.bad-${stamp}`];
  for (let n = 1; n <= 100; n += 1) candidates.push(`${file}.bad-${stamp}-${n}`);
  for (const target of candidates) {
    if (await exists(fs, target)) continue;
    await fs.rename(file, target);
    return target;
  }
  throw new Error(`too many unreadable secrets files next to ${file}`);
}

async function exists(fs: SecretsFs, file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

async function writeAtomically(fs: SecretsFs, file: string, text: string, platform: string): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const tmp = `${file}.${randomUUID()}.tmp`;
  const handle = await fs.open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    // The data must be on disk before the rename makes it the file; otherwise a power cut can leave
    // a renamed but empty file.
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (error) {
    await fs.unlink(tmp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(fs, dir, platform);
}

async function syncDirectory(fs: SecretsFs, dir: string, platform: string): Promise<void> {
  // Windows cannot open a directory for fsync; NTFS journals the rename itself.
  if (platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // A few file systems do not support fsync on a directory; the rename is then as durable as they allow.
    if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
  } finally {
    await handle.close();
  }
}
