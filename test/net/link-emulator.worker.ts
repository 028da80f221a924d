/**
 * Thread: link emulator worker (started by link-thread.ts). Runs the emulator on an event loop of
 * its own, so whatever else the bench process does (the simulator building pages, the app's data
 * layer in Node) never delays the link's deliveries and shows up as a slower link.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startLinkEmulator, type DropRule, type LinkOptions } from './link-emulator.js';

type Request =
  | { id: number; type: 'counters' }
  | { id: number; type: 'setDrop'; rule: DropRule | null }
  | { id: number; type: 'close' };

const port = parentPort;
if (!port) throw new Error('link-emulator.worker.ts must run as a worker thread');
const emu = await startLinkEmulator(workerData as LinkOptions);
port.postMessage({ type: 'ready', url: emu.url, port: emu.port });
port.on('message', (req: Request) => {
  void (async () => {
    try {
      if (req.type === 'counters') port.postMessage({ id: req.id, ok: true, value: emu.counters() });
      else if (req.type === 'setDrop') {
        emu.setDrop(req.rule);
        port.postMessage({ id: req.id, ok: true, value: null });
      } else {
        await emu.close();
        port.postMessage({ id: req.id, ok: true, value: null });
        port.close();
      }
    } catch (e) {
      port.postMessage({ id: req.id, ok: false, message: e instanceof Error ? e.message : String(e) });
    }
  })();
});
