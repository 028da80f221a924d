/**
 * One position fix for evidence being added, from the browser's geolocation (Electron grants it to
 * app://bundle only). A refusal or no fix within the timeout is not an error: the evidence then
 * records the registered address, marked as such, with the reason.
 *
 * Desktops often have no location source at all, and each batch of photos would then wait out the
 * timeout: a failure is remembered for a short while so the next batch does not wait again (a
 * refusal is answered at once by the browser anyway).
 */
import type { CaptureLocation } from '../../services/index.js';

const FIX_TIMEOUT_MS = 6_000;
const FIX_MAX_AGE_MS = 60_000;
const REMEMBER_FAILURE_MS = 120_000;

let lastFailure: { readonly at: number; readonly outcome: CaptureLocation } | null = null;

export function currentLocation(now: () => number = Date.now): Promise<CaptureLocation> {
  if (typeof navigator === 'undefined' || !navigator.geolocation)
    return Promise.resolve({ fix: null, reason: 'unavailable' });
  if (lastFailure && now() - lastFailure.at < REMEMBER_FAILURE_MS) return Promise.resolve(lastFailure.outcome);
  return new Promise((resolve) =>
    navigator.geolocation.getCurrentPosition(
      (p) => {
        lastFailure = null;
        resolve({
          fix: {
            lat: p.coords.latitude,
            lon: p.coords.longitude,
            accuracyM: p.coords.accuracy,
            fixedAt: new Date(p.timestamp).toISOString(),
          },
        });
      },
      (e) => {
        const denied = e.code === e.PERMISSION_DENIED;
        const outcome: CaptureLocation = { fix: null, reason: denied ? 'denied' : 'unavailable' };
        // Only "no source" is remembered: a refusal may be lifted by the inspector at any moment.
        lastFailure = denied ? null : { at: now(), outcome };
        resolve(outcome);
      },
      { enableHighAccuracy: true, timeout: FIX_TIMEOUT_MS, maximumAge: FIX_MAX_AGE_MS },
    ),
  );
}
