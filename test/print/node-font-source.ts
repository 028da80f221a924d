/**
 * Font bytes in Node (tests, benchmarks): read the Noto Sans SC TTFs straight from node_modules.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { FontSource, FontWeight } from '../../renderer/src/print/fonts.js';

const require = createRequire(import.meta.url);

const FILES: Readonly<Record<FontWeight, string>> = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
};

export function fontPath(weight: FontWeight): string {
  return require.resolve(FILES[weight]);
}

export const nodeFontSource: FontSource = {
  async load(weight) {
    const buf = await readFile(fontPath(weight));
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  },
};
