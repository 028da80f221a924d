/**
 * DEMO ONLY: the verifier key of the bundled demo platform's transparency log, derived from the
 * test-only seed committed with the simulator. The demo deployment pins it; a real deployment pins
 * its own platform's key in the config file (`platformLogKey`).
 */
export const DEMO_PLATFORM_LOG_KEY =
  'demo.smart-inspect.invalid/log+a317ca02+AQxuvPD7/ViIu0x+qWW0AkS+2uZKGVpqmC0V0K69GEQj';
