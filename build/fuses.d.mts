// Types of build/fuses.mjs for the TypeScript unit test that imports it.
import type { FuseV1Config, FuseV1Options } from '@electron/fuses';

export declare const FUSES: Readonly<Partial<Record<FuseV1Options, boolean>>>;
export declare function fuseConfigFor(platform: string, arch: string): FuseV1Config;
