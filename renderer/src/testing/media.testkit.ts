/**
 * Test helper (not imported by app code): small media files built in code — an mp4 whose 'moov'
 * (with an 'mvhd' carrying duration and creation time) sits where a body camera puts it, and a PCM
 * WAV — plus a deterministic large byte stream that never exists as one array.
 */
const QT_EPOCH_OFFSET_S = 2_082_844_800;

function box(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + body.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, out.length);
  for (let i = 0; i < 4; i += 1) out[4 + i] = type.charCodeAt(i);
  out.set(body, 8);
  return out;
}

/** A version-0 'mvhd' inside 'moov'. */
export function moovBox(durationS: number, createdAt: Date | null, timescale = 1000): Uint8Array {
  const mvhd = new Uint8Array(100);
  const v = new DataView(mvhd.buffer);
  const created = createdAt ? Math.round(createdAt.getTime() / 1000) + QT_EPOCH_OFFSET_S : 0;
  v.setUint32(4, created);
  v.setUint32(8, created);
  v.setUint32(12, timescale);
  v.setUint32(16, Math.round(durationS * timescale));
  return box('moov', box('mvhd', mvhd));
}

/** ftyp + mdat(payload) + moov: the layout of a recording written front to back. */
export function mp4File(payload: Uint8Array, durationS: number, createdAt: Date | null): Blob {
  const ftyp = box('ftyp', new TextEncoder().encode('isom\0\0\x02\0isomiso2mp41'));
  return new Blob(
    [
      ftyp as Uint8Array<ArrayBuffer>,
      box('mdat', payload) as Uint8Array<ArrayBuffer>,
      moovBox(durationS, createdAt) as Uint8Array<ArrayBuffer>,
    ],
    {
      type: 'video/mp4',
    },
  );
}

/** 16-bit mono PCM WAV of a quiet tone. */
export function wavFile(seconds: number, rate = 8000): Blob {
  const samples = Math.round(seconds * rate);
  const out = new Uint8Array(44 + samples * 2);
  const v = new DataView(out.buffer);
  const tag = (at: number, s: string): void => {
    for (let i = 0; i < 4; i += 1) out[at + i] = s.charCodeAt(i);
  };
  tag(0, 'RIFF');
  v.setUint32(4, 36 + samples * 2, true);
  tag(8, 'WAVE');
  tag(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  tag(36, 'data');
  v.setUint32(40, samples * 2, true);
  for (let i = 0; i < samples; i += 1)
    v.setInt16(44 + i * 2, Math.round(2000 * Math.sin((2 * Math.PI * 440 * i) / rate)), true);
  return new Blob([out], { type: 'audio/wav' });
}

/** `mib` MiB of varied bytes as a Blob of 1 MiB parts (each part differs, so chunk order matters). */
export function bigBlob(mib: number, type = 'video/mp4'): Blob {
  const seed = new Uint8Array(1024 * 1024);
  for (let i = 0; i < seed.length; i += 1) seed[i] = (i * 2654435761) >>> 24;
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (let p = 0; p < mib; p += 1) {
    const part = seed.slice();
    part[0] = p & 0xff;
    part[1] = (p >> 8) & 0xff;
    parts.push(part);
  }
  return new Blob(parts, { type });
}
