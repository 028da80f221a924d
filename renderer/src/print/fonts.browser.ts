/// <reference types="vite/client" />
/**
 * Font bytes in the renderer: the TTFs ship as Vite assets (hashed file URLs, served from the
 * app's own origin, so this works offline) and are fetched once per weight.
 */
import regularUrl from '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf?url';
import boldUrl from '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf?url';
import type { FontSource, FontWeight } from './fonts.js';

const URLS: Readonly<Record<FontWeight, string>> = { regular: regularUrl, bold: boldUrl };

export function createUrlFontSource(
  urls: Readonly<Record<FontWeight, string>> = URLS,
  fetcher: typeof fetch = fetch,
): FontSource {
  const cache = new Map<FontWeight, Promise<Uint8Array>>();
  return {
    load(weight) {
      let pending = cache.get(weight);
      if (!pending) {
        pending = fetcher(urls[weight]).then(async (res) => {
          if (!res.ok) throw new Error(`字体加载失败（${weight}）：HTTP ${res.status}`);
          return new Uint8Array(await res.arrayBuffer());
        });
        pending.catch(() => cache.delete(weight));
        cache.set(weight, pending);
      }
      return pending;
    },
  };
}

export const browserFontSource: FontSource = createUrlFontSource();
