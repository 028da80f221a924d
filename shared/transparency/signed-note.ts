/**
 * C2SP signed notes and tlog checkpoints, verify side. A verifier key is
 * `<name>+<8 hex key hash>+<base64(0x01 ‖ Ed25519 public key)>`, the key hash being the first four
 * bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key). A note is its text (ending in a newline), a blank
 * line, then one line per signature: "— <name> <base64(key hash ‖ signature)>". A checkpoint is a note
 * whose text is the log origin, the tree size in decimal and the base64 root hash, one per line,
 * possibly followed by extension lines.
 *
 * The Ed25519 check itself is passed in (WebCrypto in the app, node:crypto in tests), since this
 * folder carries no platform types.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { equalBytes, fromBase64, toBase64 } from './bytes.js';

export type Ed25519Verify = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => Promise<boolean>;

export interface VerifierKey {
  readonly name: string;
  readonly keyHash: Uint8Array;
  readonly publicKey: Uint8Array;
}

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
}

export type NoteError = { kind: 'malformed' | 'unsigned' | 'bad-signature'; message: string };
export type NoteResult<T> = { ok: true; value: T } | { ok: false; error: NoteError };

const ALG_ED25519 = 1;
const SIG_PREFIX = '\u2014 ';

const err = <T>(kind: NoteError['kind'], message: string): NoteResult<T> => ({ ok: false, error: { kind, message } });

function validName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && [...name].every((c) => c.codePointAt(0)! > 0x20);
}

export function keyHashOf(name: string, publicKey: Uint8Array): Uint8Array {
  const nameBytes = utf8ToBytes(`${name}\n`);
  const buf = new Uint8Array(nameBytes.length + 1 + publicKey.length);
  buf.set(nameBytes);
  buf[nameBytes.length] = ALG_ED25519;
  buf.set(publicKey, nameBytes.length + 1);
  return sha256(buf).slice(0, 4);
}

/** The verifier key string for an Ed25519 public key (what the deployment config pins). */
export function formatVerifierKey(name: string, publicKey: Uint8Array): string {
  if (!validName(name)) throw new Error(`invalid key name: ${name}`);
  const data = new Uint8Array(1 + publicKey.length);
  data[0] = ALG_ED25519;
  data.set(publicKey, 1);
  return `${name}+${bytesToHex(keyHashOf(name, publicKey))}+${toBase64(data)}`;
}

export function parseVerifierKey(text: string): NoteResult<VerifierKey> {
  // The base64 key data may itself contain '+': only the first two separate fields.
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) return err('malformed', '平台日志公钥格式不正确（应为 名称+密钥哈希+公钥）');
  const name = text.slice(0, first);
  const hashHex = text.slice(first + 1, second);
  const keyB64 = text.slice(second + 1);
  if (!validName(name)) return err('malformed', '平台日志公钥的名称不合法');
  if (!/^[0-9a-f]{8}$/.test(hashHex)) return err('malformed', '平台日志公钥的密钥哈希应为 8 位十六进制');
  const data = fromBase64(keyB64);
  if (!data || data.length !== 33 || data[0] !== ALG_ED25519) return err('malformed', '平台日志公钥不是 Ed25519 公钥');
  const publicKey = data.slice(1);
  const keyHash = keyHashOf(name, publicKey);
  if (bytesToHex(keyHash) !== hashHex) return err('malformed', '平台日志公钥的密钥哈希与公钥不符');
  return { ok: true, value: { name, keyHash, publicKey } };
}

/**
 * The note's text when `key` signed it. Signatures by other keys are ignored (a log may be
 * cosigned); a signature that claims to be `key`'s and does not verify fails the whole note.
 */
export async function openNote(note: string, key: VerifierKey, verify: Ed25519Verify): Promise<NoteResult<string>> {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return err('malformed', '签名记录格式不正确');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  let signed = false;
  for (const line of lines) {
    if (!line.startsWith(SIG_PREFIX)) return err('malformed', '签名行格式不正确');
    const [name, blob, extra] = line.slice(SIG_PREFIX.length).split(' ');
    const sig = blob === undefined ? null : fromBase64(blob);
    if (!name || !sig || extra !== undefined || sig.length < 5) return err('malformed', '签名行格式不正确');
    if (name !== key.name || !equalBytes(sig.slice(0, 4), key.keyHash)) continue;
    if (!(await verify(key.publicKey, utf8ToBytes(text), sig.slice(4))))
      return err('bad-signature', '平台签名校验失败：记录内容与签名不符');
    signed = true;
  }
  return signed ? { ok: true, value: text } : err('unsigned', '记录没有所固定的平台日志公钥的签名');
}

export function parseCheckpoint(text: string): NoteResult<Checkpoint> {
  const lines = text.split('\n');
  const [origin, sizeText, rootText] = lines;
  if (lines.length < 4 || !origin || sizeText === undefined || rootText === undefined)
    return err('malformed', '检查点应有来源、树大小与根哈希三行');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText)))
    return err('malformed', '检查点的树大小不是十进制整数');
  const rootHash = fromBase64(rootText);
  if (!rootHash || rootHash.length !== 32) return err('malformed', '检查点的根哈希不是 32 字节');
  return { ok: true, value: { origin, size: Number(sizeText), rootHash } };
}

/** Opens and parses a signed checkpoint; the log's origin is its key's name. */
export async function openCheckpoint(
  note: string,
  key: VerifierKey,
  verify: Ed25519Verify,
): Promise<NoteResult<Checkpoint>> {
  const opened = await openNote(note, key, verify);
  if (!opened.ok) return opened;
  const cp = parseCheckpoint(opened.value);
  if (!cp.ok) return cp;
  if (cp.value.origin !== key.name) return err('malformed', `检查点来源（${cp.value.origin}）不是本平台日志`);
  return cp;
}
