/**
 * Thread: byte pump (a nested Web Worker of the pull worker, started by byte-pump.ts). Reads the
 * snapshot's Range responses and hands their bytes on at once, so none wait in network buffers.
 */
import { pumpHandler, type FromPump, type ToPump } from './byte-pump.js';

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
}
const scope = globalThis as unknown as WorkerScope;
const handle = pumpHandler((message: FromPump, transfer: Transferable[] = []) => scope.postMessage(message, transfer));

function isToPump(data: unknown): data is ToPump {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as Record<string, unknown>;
  if (typeof m['id'] !== 'number') return false;
  if (m['type'] === 'cancel') return true;
  if (m['type'] === 'ack') return typeof m['bytes'] === 'number';
  return m['type'] === 'fetch' && typeof m['url'] === 'string' && Array.isArray(m['headers']);
}

scope.addEventListener('message', (event) => {
  if (isToPump(event.data)) handle(event.data);
});
