/**
 * The embedded CJK font: Noto Sans SC (SIL Open Font License 1.1) from
 * @expo-google-fonts/noto-sans-sc, Regular and Bold. Covers GB 18030's BMP set incl. CJK Ext-A
 * (㙟), but only ~200 ideographs beyond the BMP (not 𠮷); glyphs.ts `missingGlyphs` lets callers
 * warn before printing.
 *
 * Where the bytes come from is injected (`FontSource`): the renderer fetches Vite asset URLs
 * (fonts.browser.ts), Node tests and benchmarks read node_modules (test/print/node-font-source.ts).
 */

export const FONT_FAMILY = 'NotoSansSC';

export const FONT_FILES = {
  regular: 'NotoSansSC-Regular.ttf',
  bold: 'NotoSansSC-Bold.ttf',
} as const;
export type FontWeight = keyof typeof FONT_FILES;

/** Loads the TTF bytes of one weight. Called at most once per weight per renderer. */
export interface FontSource {
  load(weight: FontWeight): Promise<Uint8Array>;
}

/** pdfmake's font dictionary for the virtual file names above (no italics in CJK: reuse upright). */
export const FONT_DICTIONARY = {
  [FONT_FAMILY]: {
    normal: FONT_FILES.regular,
    bold: FONT_FILES.bold,
    italics: FONT_FILES.regular,
    bolditalics: FONT_FILES.bold,
  },
};
