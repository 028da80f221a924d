/**
 * Field database, schema version 12: USB transfers.
 * - usbBundles: one row per results bundle this inspector exported (keyed by the key id of the
 *   one-off X25519 reply key the platform encrypts that bundle's receipts to; the private half rests
 *   here, sealed under the data key like every partition row) and one per receipts bundle imported
 *   (keyed by its bundle id, so the same receipts file is refused the second time).
 * Frozen: a later change is a new version module. Row types live here with their version.
 */
import type { Dexie } from 'dexie';

export const FIELD_V12_VERSION = 12;

export const FIELD_V12_STORES = {
  usbBundles: 'id, kind',
} as const;

export type UsbBundleRow =
  | {
      readonly id: string;
      readonly kind: 'export';
      /** The results bundle's id (its clear header). */
      readonly bundleId: string;
      readonly at: string;
      readonly resultIds: readonly string[];
      /** PKCS8 of the reply key's private half. */
      readonly replyPkcs8: Uint8Array;
      readonly replyPublicKey: Uint8Array;
      /** The document-number entries the bundle reported (marked reported once the platform took them). */
      readonly docEntries: readonly {
        readonly docType: string;
        readonly serial: number;
        readonly state: string;
        readonly docHash: string | null;
      }[];
    }
  | {
      readonly id: string;
      readonly kind: 'receipts';
      readonly forBundleId: string;
      readonly at: string;
      readonly resultIds: readonly string[];
    };

export function fieldV12(db: Dexie): void {
  db.version(FIELD_V12_VERSION).stores(FIELD_V12_STORES);
}
