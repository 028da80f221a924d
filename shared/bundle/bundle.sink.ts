/** The opener's plaintext side: manifest and signature first, then entries into memory or a staging area. */
import { sha256 } from '@noble/hashes/sha2.js';
import {
  MAX_MANIFEST_BYTES,
  SIGNATURE_BYTES,
  concat,
  manifestSchema,
  readU32,
  type Manifest,
  type ManifestEntry,
} from './bundle.format.js';
import { refuse } from './bundle.refusal.js';
import { subtle, toHex, utf8Decode } from './webcrypto.js';

export interface OpenedEntry {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Receives one entry's bytes in order; a chunk handed to `write` is not reused and may be kept. */
export interface EntryWriter {
  write(bytes: Uint8Array): void | Promise<void>;
}

export interface EntryStage {
  begin(name: string, size: number): EntryWriter | Promise<EntryWriter>;
}

/**
 * Where entry bytes go while the bundle is still unverified: memory (each entry assembled whole, then
 * hashed once natively) or a caller's staging area (hashed incrementally as the bytes pass through).
 */
export interface EntryStore {
  begin(spec: ManifestEntry): Promise<void>;
  write(bytes: Uint8Array): Promise<void>;
  /** The entry is complete: does it hash to the manifest's value? */
  end(spec: ManifestEntry): Promise<boolean>;
}

export class MemoryStore implements EntryStore {
  readonly entries: OpenedEntry[] = [];
  private bytes = new Uint8Array(0);
  private filled = 0;
  async begin(spec: ManifestEntry): Promise<void> {
    this.bytes = new Uint8Array(spec.size);
    this.filled = 0;
  }
  async write(bytes: Uint8Array): Promise<void> {
    this.bytes.set(bytes, this.filled);
    this.filled += bytes.length;
  }
  async end(spec: ManifestEntry): Promise<boolean> {
    const digest = toHex(new Uint8Array(await subtle().digest('SHA-256', this.bytes)));
    this.entries.push({ name: spec.name, bytes: this.bytes });
    return digest === spec.sha256;
  }
}

export class StagedStore implements EntryStore {
  private writer: EntryWriter | null = null;
  private hash = sha256.create();
  constructor(private readonly stage: EntryStage) {}
  async begin(spec: ManifestEntry): Promise<void> {
    this.writer = await this.stage.begin(spec.name, spec.size);
    this.hash = sha256.create();
  }
  async write(bytes: Uint8Array): Promise<void> {
    this.hash.update(bytes);
    await this.writer!.write(bytes);
  }
  async end(spec: ManifestEntry): Promise<boolean> {
    return toHex(this.hash.digest()) === spec.sha256;
  }
}

/** Collects the decrypted stream: manifest, signature, then each entry checked against its hash. */
export class PlainSink {
  private prefix: Uint8Array = new Uint8Array(0);
  manifest: Manifest | null = null;
  manifestJson: Uint8Array | null = null;
  signature: Uint8Array | null = null;
  private done = 0;
  /** Bytes still owed to the entry in progress, or -1 between entries. */
  private owed = -1;

  constructor(private readonly store: EntryStore) {}

  /** Feeds bytes until the manifest and signature are known; returns what was not consumed. */
  takePrefix(chunk: Uint8Array): Uint8Array {
    const all = concat([this.prefix, chunk]);
    if (all.length < 4) {
      this.prefix = all;
      return new Uint8Array(0);
    }
    const manifestLength = readU32(all);
    if (manifestLength > MAX_MANIFEST_BYTES) refuse('tampered');
    const need = 4 + manifestLength + SIGNATURE_BYTES;
    if (all.length < need) {
      this.prefix = all;
      return new Uint8Array(0);
    }
    this.manifestJson = all.slice(4, 4 + manifestLength);
    this.signature = all.slice(4 + manifestLength, need);
    let parsed: unknown;
    try {
      parsed = JSON.parse(utf8Decode(this.manifestJson));
    } catch {
      refuse('tampered');
    }
    const manifest = manifestSchema.safeParse(parsed);
    if (!manifest.success) refuse('tampered');
    this.manifest = manifest.data;
    this.prefix = new Uint8Array(0);
    return all.subarray(need);
  }

  async takeEntries(chunk: Uint8Array): Promise<void> {
    const entries = this.manifest!.entries;
    let at = 0;
    while (at < chunk.length || (this.owed < 0 && entries[this.done]?.size === 0)) {
      const spec = entries[this.done];
      if (!spec) refuse('tampered'); // more plaintext than the manifest accounts for
      if (this.owed < 0) {
        await this.store.begin(spec);
        this.owed = spec.size;
      }
      const n = Math.min(this.owed, chunk.length - at);
      if (n > 0) await this.store.write(chunk.subarray(at, at + n));
      this.owed -= n;
      at += n;
      if (this.owed === 0) {
        if (!(await this.store.end(spec))) refuse('tampered');
        this.done++;
        this.owed = -1;
      }
    }
  }

  /** After the final frame every entry must be complete. */
  async finish(): Promise<void> {
    if (!this.manifest) refuse('tampered');
    await this.takeEntries(new Uint8Array(0));
    if (this.owed >= 0 || this.done !== this.manifest.entries.length) refuse('tampered');
  }
}
