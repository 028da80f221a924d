import { afterEach, describe, expect, it, vi } from 'vitest';
import { currentLocation } from './geolocation.js';

type Fail = { code: number; PERMISSION_DENIED: number };

function fakeGeolocation(answer: (ok: (p: GeolocationPosition) => void, fail: (e: Fail) => void) => void) {
  const getCurrentPosition = vi.fn(answer);
  vi.stubGlobal('navigator', { geolocation: { getCurrentPosition } });
  return getCurrentPosition;
}

afterEach(() => vi.unstubAllGlobals());

describe('currentLocation', () => {
  it('turns a fix into lat/lon/accuracy with the fix time', async () => {
    fakeGeolocation((ok) =>
      ok({
        coords: { latitude: 37.5, longitude: 122.1, accuracy: 15 },
        timestamp: Date.parse('2026-05-06T02:00:00Z'),
      } as GeolocationPosition),
    );
    expect(await currentLocation()).toEqual({
      fix: { lat: 37.5, lon: 122.1, accuracyM: 15, fixedAt: '2026-05-06T02:00:00.000Z' },
    });
  });

  it('asks again after a refusal, but not for a while after "no location source"', async () => {
    let t = 1_000_000;
    const denied = fakeGeolocation((_ok, fail) => fail({ code: 1, PERMISSION_DENIED: 1 }));
    expect(await currentLocation(() => t)).toEqual({ fix: null, reason: 'denied' });
    expect(await currentLocation(() => t)).toEqual({ fix: null, reason: 'denied' });
    expect(denied).toHaveBeenCalledTimes(2);

    const none = fakeGeolocation((_ok, fail) => fail({ code: 2, PERMISSION_DENIED: 1 }));
    expect(await currentLocation(() => t)).toEqual({ fix: null, reason: 'unavailable' });
    t += 60_000;
    expect(await currentLocation(() => t)).toEqual({ fix: null, reason: 'unavailable' });
    expect(none).toHaveBeenCalledTimes(1);
    t += 61_000;
    await currentLocation(() => t);
    expect(none).toHaveBeenCalledTimes(2);
  });
});
