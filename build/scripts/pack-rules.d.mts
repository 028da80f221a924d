// Types of build/scripts/pack-rules.mjs for the TypeScript unit test that imports it.
export interface AsarEntry {
  readonly f: string;
  readonly size: number;
}
export declare const BUNDLED_OR_DEV: readonly string[];
export declare const REQUIRED: readonly string[];
export declare const MIN_FONT_BYTES: number;
export declare function checkAsarEntries(entries: readonly AsarEntry[], main: string | undefined): string[];
export declare function inspectAsar(asarPath: string): {
  files: string[];
  fileSizes: AsarEntry[];
  problems: string[];
  deps: string[];
};
