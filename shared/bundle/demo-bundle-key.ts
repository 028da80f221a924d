/**
 * DEMO ONLY: the raw X25519 public key (hex) of the bundled demo platform's USB bundle key, derived
 * from the test-only seed committed with the simulator. The demo deployment pins it; a real
 * deployment pins its own platform's key in the config file (`platformBundleKey`).
 */
export const DEMO_PLATFORM_BUNDLE_KEY = '97fbd891d0d351c4ab4d8479191e9f9360d4c1673053024ec81de9b5795f7963';
export const BUNDLE_KEY_PATTERN = /^[0-9a-f]{64}$/;
