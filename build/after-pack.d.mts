// Types of build/after-pack.mjs for the unit test that runs it.
export declare const PLACEHOLDER_MARKER: string;
export interface AfterPackContextLike {
  appOutDir: string;
  electronPlatformName: string;
  arch: number;
  packager: { executableName: string; appInfo: { productFilename: string } };
}
export default function afterPack(context: AfterPackContextLike): Promise<void>;
