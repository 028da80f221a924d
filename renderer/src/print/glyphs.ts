/**
 * Where Noto Sans SC (the embedded font, see fonts.ts) has no glyph, measured with fontkit over
 * the font file of @expo-google-fonts/noto-sans-sc 0.4.3 (Regular and Bold cover the same set).
 * Used to warn before printing a name that would come out as an empty box (豆腐块).
 */

/** Ideograph ranges in the BMP the font lacks: the newest Ext-A and URO additions. */
const MISSING_BMP_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x4db6, 0x4dbf],
  [0x9ff0, 0x9fff],
];

/** The few supplementary-plane ideographs it does have (通用规范汉字表), base-36 code points. */
const COVERED_SUPPLEMENTARY = new Set(
  [
    '2t8n 2t8p 2tak 2tes 2uco 2ueu 2vo0 2x0a 2x3n 2xg7 31cf 33rf 353r 353s 35er 3666 366m 37jd 37q3 37r5',
    '37ul 37wp 39yq 3a02 3a20 3b2v 3bvb 3cip 3czx 3ddi 3dks 3dxt 3ecc 3eht 3gz6 3i5r 3id3 3iex 3j7s 3jp4',
    '3jpx 3jz4 3knd 3kuf 3kun 3kup 3kus 3l73 3lax 3mv3 3n68 3on2 3on7 3ong 3qal 3qij 3qjb 3qr4 3qra 3qs8',
    '3rtu 3s4n 3s4o 3s53 3s54 3sa5 3shs 3skj 3skv 3sky 3sl9 3sp0 3spc 3spf 3srl 3svb 3svj 3svq 3svt 3swd',
    '3swe 3sxi 3t0u 3t0v 3t0z 3t2f 3t2s 3t3w 3t3x 3t46 3t47 3t48 3t4a 3t4c 3t79 3t7a 3t7x 3t9p 3tex 3tfp',
    '3tgm 3th5 3th8 3thi 3thm 3ti4 3tmg 3u13 3u5b 3u5e 3u64 3u6b 3uaj 3uk7 3ukn 3unr 3up5 3v3d 3v3e 3v6x',
    '3v7u 3vf9 3vfd 3vg9 3vjw 3vk8 3vl0 3vo7 3vq3 3vq9 3vqc 3vyg 3vys 3vyv 3w3m 3w9f 3w9k 3w9t 3wa1 3wa3',
    '3wa4 3wa5 3wa7 3waq 3way 3waz 3wh8 3whb 3wkf 3wld 3wn1 3wt5 3wta 3wtd 3wtv 3wuf 3wui 3wv1 3x1e 3x1q',
    '3x4t 3x61 3x9l 3x9p 3x9q 3x9t 3xa0 3xa1 3xa3 3xa7 3xa9 3xai 3xam 3xay 3xaz 3xb8 3xbd 3xbg 3xbj 3xbn',
    '3xbq 3xbs 3xbw 3xdd 3xdr 3xds 3xe6 3xhy 3xi7 3xmd 3xme 3xml 3xmn 3xmq 3xmr 3xmy 3xqj 3xql 3xqn 3xqo',
    '3xr3 3xr4 3xrc 3xrh 3xri 3xsl 3xug 3xui 3xur 3xuu 3xuy 3xx8 3xxk 3xxv 3z9g 4684 469i 4an1 4an2 4ay4',
  ]
    .join(' ')
    .split(' ')
    .map((s) => parseInt(s, 36)),
);

/** True when the font draws this code point (CJK compatibility ideographs: treated as missing, normalise to NFC first). */
export function fontCovers(cp: number): boolean {
  if (cp >= 0x20000) return COVERED_SUPPLEMENTARY.has(cp);
  if (cp >= 0x10000) return false;
  if (cp >= 0xf900 && cp <= 0xfaff) return false;
  return !MISSING_BMP_RANGES.some(([a, b]) => cp >= a && cp <= b);
}

/** The distinct characters of `text` the font cannot draw, in order of appearance. */
export function missingGlyphs(text: string): string[] {
  const out = new Set<string>();
  for (const ch of text.normalize('NFC')) {
    if (!fontCovers(ch.codePointAt(0) ?? 0)) out.add(ch);
  }
  return [...out];
}
