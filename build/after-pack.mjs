// electron-builder afterPack hook: flips the Electron fuses (build/fuses.mjs) on the packed binary and
// reads them back to prove it. `npm run pack:check` packs with a placeholder Electron (the real binary
// cannot be downloaded on CI machines here): the placeholder carries a marker file and has no fuse
// wire, so this hook says so and skips. Any other binary without a fuse wire fails the build.
import { flipFuses, getCurrentFuseWire } from '@electron/fuses';
import console from 'node:console';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { FUSES, fuseConfigFor } from './fuses.mjs';

export const PLACEHOLDER_MARKER = 'SMART_INSPECT_PLACEHOLDER_ELECTRON';
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') {
    return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
  }
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  return path.join(appOutDir, packager.executableName);
}

export default async function afterPack(context) {
  const binary = electronBinaryPath(context);
  if (existsSync(path.join(context.appOutDir, PLACEHOLDER_MARKER))) {
    console.log(
      `  • afterPack: placeholder Electron (${path.basename(binary)}) has no fuse wire — fuse flip SKIPPED (pack:check only)`,
    );
    return;
  }
  const arch = ARCH_NAMES[context.arch] ?? String(context.arch);
  await flipFuses(binary, fuseConfigFor(context.electronPlatformName, arch));
  const wire = await getCurrentFuseWire(binary);
  for (const [fuse, wanted] of Object.entries(FUSES)) {
    // FuseState: 48 ('0') disabled, 49 ('1') enabled.
    const actual = wire[fuse];
    if (actual !== (wanted ? 49 : 48))
      throw new Error(`afterPack: fuse ${fuse} is ${actual} after flipping, wanted ${wanted}`);
  }
  console.log(`  • afterPack: fuses flipped and verified on ${binary}`);
}
