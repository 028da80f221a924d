/** Tells the vault of every input, so its idle lock counts from the inspector's last action. */
import { useEffect } from 'react';
import { services } from '../services/index.js';

const EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'input'] as const;

export function useIdleLock(): void {
  useEffect(() => {
    const touch = (): void => services.auth.activity();
    for (const e of EVENTS) window.addEventListener(e, touch, { passive: true, capture: true });
    return () => {
      for (const e of EVENTS) window.removeEventListener(e, touch, { capture: true });
    };
  }, []);
}
