/// <reference types="vite/client" />
/**
 * QR decoding with ZXing-C++ compiled to WebAssembly (zxing-wasm's reader build). The library would
 * fetch its .wasm from a CDN; the app is offline and its CSP allows only its own origin, so the
 * .wasm is bundled (a Vite `?url` asset, precached by the service worker) and located here. The
 * module is loaded on first scan (a lazy chunk), not at start-up.
 */
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import type * as ZxingReader from 'zxing-wasm/reader';

type Reader = typeof ZxingReader;
let reader: Promise<Reader> | null = null;

function loadReader(): Promise<Reader> {
  reader ??= import('zxing-wasm/reader').then((m) => {
    m.prepareZXingModule({
      overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) },
    });
    return m;
  });
  return reader;
}

/** The text of every QR code found in the image (a photo file, or a camera frame as ImageData). */
export async function decodeQrTexts(image: Blob | ImageData): Promise<string[]> {
  const m = await loadReader();
  const results = await m.readBarcodes(image, { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 4 });
  return results.filter((r) => r.isValid && r.text.length > 0).map((r) => r.text);
}
