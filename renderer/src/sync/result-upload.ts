/**
 * The body of a result's upload (PUT), made from the stored result, the device and its signed
 * checkpoint. The push engine sends it; a USB export writes the same body, so both say the same.
 */
import type { ResultUpload } from '../../../shared/protocol/index.js';
import type { ResultRow } from '../db/index.js';
import type { AttachmentRef } from './tus-upload.js';

export function buildUpload(
  result: ResultRow,
  deviceId: string,
  signed: { readonly keyId: string; readonly signature: string },
  attachments: readonly AttachmentRef[] = [],
): ResultUpload {
  return {
    taskId: result.taskId,
    taskVersion: result.taskVersion,
    deviceId,
    deviceSeq: result.deviceSeq,
    recordedAt: result.finalizedAt,
    contentHash: result.contentHash,
    payload: result.payload,
    attachments: [...attachments],
    auditCheckpoint: { ...result.auditCheckpoint, keyId: signed.keyId, signature: signed.signature },
  };
}
