// The Electron fuse settings of every packaged build, in one module: build/after-pack.mjs flips them
// and electron/packaging.test.ts checks the values. Fuses are bits in the Electron binary that only
// packaging can set (the Electron security checklist).
import { FuseV1Options, FuseVersion } from '@electron/fuses';

/** Fuse → value. Anything not listed keeps Electron's default. */
export const FUSES = Object.freeze({
  [FuseV1Options.RunAsNode]: false, // ELECTRON_RUN_AS_NODE cannot turn the app into a Node shell
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false, // NODE_OPTIONS ignored
  [FuseV1Options.EnableNodeCliInspectArguments]: false, // --inspect and friends ignored
  [FuseV1Options.EnableCookieEncryption]: true, // cookies encrypted with the OS key
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true, // app.asar checked against its hash (win/mac)
  [FuseV1Options.OnlyLoadAppFromAsar]: true, // no loose app/ folder next to app.asar
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false, // file:// gets no special powers
});

/**
 * The config passed to @electron/fuses' flipFuses for one target. macOS arm64 binaries carry an
 * ad-hoc signature that flipping invalidates: reset it (a real signature is applied afterwards).
 */
export function fuseConfigFor(platform, arch) {
  return {
    version: FuseVersion.V1,
    resetAdHocDarwinSignature: platform === 'darwin' && arch === 'arm64',
    ...FUSES,
  };
}
