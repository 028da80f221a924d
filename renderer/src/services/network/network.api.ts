/** Whether the device is online, as the UI needs to know it. */
import type { Unsubscribe } from '../runtime.js';

export interface NetworkService {
  online(): boolean;
  subscribe(listener: (online: boolean) => void): Unsubscribe;
}
