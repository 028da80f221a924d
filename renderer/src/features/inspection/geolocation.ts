/**
 * One position fix for evidence being added, from the browser's geolocation (Electron grants it to
 * app://bundle only). A refusal or no fix within the timeout is not an error: the evidence then
 * records the registered address, marked as such, with the reason.
 */
import type { CaptureLocation } from '../../services/index.js';

const FIX_TIMEOUT_MS = 10_000;
const FIX_MAX_AGE_MS = 60_000;

export function currentLocation(): Promise<CaptureLocation> {
  if (typeof navigator === 'undefined' || !navigator.geolocation)
    return Promise.resolve({ fix: null, reason: 'unavailable' });
  return new Promise((resolve) =>
    navigator.geolocation.getCurrentPosition(
      (p) =>
        resolve({
          fix: {
            lat: p.coords.latitude,
            lon: p.coords.longitude,
            accuracyM: p.coords.accuracy,
            fixedAt: new Date(p.timestamp).toISOString(),
          },
        }),
      (e) => resolve({ fix: null, reason: e.code === e.PERMISSION_DENIED ? 'denied' : 'unavailable' }),
      { enableHighAccuracy: true, timeout: FIX_TIMEOUT_MS, maximumAge: FIX_MAX_AGE_MS },
    ),
  );
}
