/**
 * Turns a row value into bytes and back, exactly: JSON for the structure, with binary kept as raw
 * bytes after it instead of base64 (no 33 % growth, no encode loop over photos or hashes).
 *
 *   format byte (1) | JSON length (u32 LE) | JSON text (UTF-8) | binary section
 *
 * Values JSON cannot carry are tagged as one-key objects: {"$u8":[offset,length]} (Uint8Array),
 * {"$ab":[offset,length]} (ArrayBuffer), {"$date":ms}, {"$num":"NaN"|"Infinity"|"-Infinity"},
 * {"$undef":0} (undefined inside an array; undefined object properties are omitted, as JSON does).
 * A key of the caller's that starts with "$" gets one more "$" on the way in and loses it on the
 * way out, so no stored value can be mistaken for a tag.
 *
 * It refuses, with the path of the offending value: Blob/File (their bytes are not readable
 * synchronously: seal them with sealBytesAsync before the transaction and store the sealed bytes),
 * other typed arrays and DataView, Map, Set, class instances, functions, symbols, bigint, cycles.
 */
import { fromUtf8, utf8 } from './bytes.js';
import { VaultError } from './vault.errors.js';

const FORMAT = 1;
const TAGS = new Set(['$u8', '$ab', '$date', '$num', '$undef']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Sets an own data property; plain assignment of a key named __proto__ would replace the prototype. */
function setOwn(target: object, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else (target as Record<string, unknown>)[key] = value;
}

function refuse(path: string, what: string): never {
  throw new VaultError('unsupported-value', `${path}: ${what}`, `该数据无法加密保存：${path} 是 ${what}。`);
}

function describe(value: object): string {
  const ctor = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
  return ctor ?? 'object';
}

class Encoder {
  readonly chunks: Uint8Array[] = [];
  binaryLength = 0;
  private readonly open = new Set<object>();

  private bytes(tag: '$u8' | '$ab', bytes: Uint8Array): Json {
    this.chunks.push(bytes);
    const at = this.binaryLength;
    this.binaryLength += bytes.length;
    return { [tag]: [at, bytes.length] };
  }

  walk(value: unknown, path: string): Json {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value;
      case 'number':
        // IndexedDB keeps -0 (structured clone); JSON would turn it into 0.
        if (Object.is(value, -0)) return { $num: '-0' };
        return Number.isFinite(value) ? value : { $num: String(value) };
      case 'object':
        break;
      case 'undefined':
        return { $undef: 0 };
      default:
        return refuse(path, typeof value);
    }
    if (value === null) return null;
    if (value instanceof Uint8Array) return this.bytes('$u8', value);
    if (value instanceof ArrayBuffer) return this.bytes('$ab', new Uint8Array(value));
    if (value instanceof Date) {
      const ms = value.getTime();
      return Number.isNaN(ms) ? refuse(path, 'an invalid Date') : { $date: ms };
    }
    if (typeof Blob !== 'undefined' && value instanceof Blob) {
      throw new VaultError(
        'unsupported-value',
        `${path}: Blob; seal its bytes with sealBytesAsync before the transaction and store those`,
        `该数据无法加密保存：${path} 是文件（Blob）。请先读取文件内容并单独加密，再保存加密后的字节。`,
      );
    }
    if (ArrayBuffer.isView(value)) return refuse(path, describe(value));
    if (this.open.has(value)) return refuse(path, 'a circular reference');
    this.open.add(value);
    try {
      if (Array.isArray(value)) return value.map((item: unknown, i) => this.walk(item, `${path}[${i}]`));
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return refuse(path, describe(value));
      const out: { [key: string]: Json } = {};
      for (const [key, item] of Object.entries(value)) {
        if (item === undefined) continue;
        const storedKey = key.startsWith('$') ? `$${key}` : key;
        setOwn(out, storedKey, this.walk(item, `${path}.${key}`));
      }
      return out;
    } finally {
      this.open.delete(value);
    }
  }
}

export function encodeValue(value: unknown): Uint8Array {
  const encoder = new Encoder();
  const json = utf8(JSON.stringify(encoder.walk(value, 'value')));
  const out = new Uint8Array(5 + json.length + encoder.binaryLength);
  out[0] = FORMAT;
  new DataView(out.buffer).setUint32(1, json.length, true);
  out.set(json, 5);
  let at = 5 + json.length;
  for (const chunk of encoder.chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function bad(detail: string): never {
  throw new VaultError('bad-encoding', detail);
}

function isRange(v: unknown, binary: Uint8Array): v is [number, number] {
  return (
    Array.isArray(v) &&
    v.length === 2 &&
    Number.isInteger(v[0]) &&
    Number.isInteger(v[1]) &&
    (v[0] as number) >= 0 &&
    (v[1] as number) >= 0 &&
    (v[0] as number) + (v[1] as number) <= binary.length
  );
}

function revive(node: unknown, binary: Uint8Array): unknown {
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((item) => revive(item, binary));
  const entries = Object.entries(node);
  const first = entries[0];
  if (entries.length === 1 && first && TAGS.has(first[0])) {
    const [tag, v] = first;
    if (tag === '$u8' || tag === '$ab') {
      if (!isRange(v, binary)) return bad(`bad ${tag} range`);
      const copy = binary.slice(v[0], v[0] + v[1]);
      return tag === '$u8' ? copy : copy.buffer;
    }
    if (tag === '$date') return typeof v === 'number' ? new Date(v) : bad('bad $date');
    if (tag === '$num')
      return v === 'NaN' || v === 'Infinity' || v === '-Infinity' || v === '-0' ? Number(v) : bad('bad $num');
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [storedKey, item] of entries) {
    if (storedKey.startsWith('$') && !storedKey.startsWith('$$')) return bad(`unescaped key ${storedKey}`);
    const key = storedKey.startsWith('$') ? storedKey.slice(1) : storedKey;
    setOwn(out, key, revive(item, binary));
  }
  return out;
}

export function decodeValue(bytes: Uint8Array): unknown {
  if (bytes.length < 5 || bytes[0] !== FORMAT) return bad(`codec format ${bytes[0]} / ${bytes.length} bytes`);
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(1, true);
  if (5 + jsonLength > bytes.length) return bad('JSON length past the end');
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromUtf8(bytes.subarray(5, 5 + jsonLength)));
  } catch (e) {
    return bad(`JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return revive(parsed, bytes.subarray(5 + jsonLength));
}
