/** The USB results transfer as the UI sees it (usb.api.ts); export and receipts live in their own modules. */
import { pickBundleFile, saveBundleFile } from '../../platform/bundle-files.js';
import type { Runtime } from '../runtime.js';
import type { UsbResultsService } from './usb.api.js';
import { exportResults, exportable } from './usb.export.js';
import { importReceipts } from './usb.receipts.js';

export function createUsbResultsService(rt: Runtime): UsbResultsService {
  return {
    pickFile: pickBundleFile,
    saveFile: saveBundleFile,
    async pendingCount() {
      return (await rt.repos.outbox.list()).filter(exportable).length;
    },
    exportResults: (options) => exportResults(rt, options),
    importReceipts: (bytes, options) => importReceipts(rt, bytes, options),
  };
}
