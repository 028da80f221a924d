/**
 * One documents-service world for the print tests in Node: fresh databases holding the task and the
 * reference data, the services over them, number blocks reserved per document type, and the
 * documents service signed in as one fixed inspector (the name and certificate the PDFs must show).
 */
import { docNumbersRepo, referenceRepo, tasksRepo } from '../../renderer/src/db/index.js';
import { createPdfRenderer } from '../../renderer/src/print/index.js';
import type { AuthService } from '../../renderer/src/services/api.js';
import { createDocumentsService } from '../../renderer/src/services/documents/documents.service.js';
import { freshDatabases, makeReference, testServices } from '../../renderer/src/testing/builders.js';
import type { DocType, Task } from '../../shared/protocol/index.js';
import { nodeFontSource } from './node-font-source.js';

export const renderer = createPdfRenderer(nodeFontSource);

export const signedIn: Pick<AuthService, 'current'> = {
  current: async () => ({
    inspector: {
      id: 'insp-1',
      name: '张三',
      certNo: '33030212345',
      certExpiry: '2030-01-01',
      unit: '温州市鹿城区市场监督管理局',
      station: '五马所',
      region: '330302',
      domains: [],
      expert: false,
    },
    deviceId: 'dev-1',
    platformUrl: 'http://127.0.0.1:8787',
    offlineUnlocked: true,
  }),
};

/** A reserved block of document numbers `prefix` + from..to for one document type. */
export interface NumberBlock {
  readonly docType: DocType;
  readonly prefix: string;
  readonly from: number;
  readonly to: number;
}

export interface DocumentsWorld {
  readonly dbs: ReturnType<typeof freshDatabases>;
  readonly s: ReturnType<typeof testServices>;
  /** A documents service over the world's services, as the app builds one per screen. */
  readonly documents: () => ReturnType<typeof createDocumentsService>;
}

export async function documentsWorld(task: Task, blocks: readonly NumberBlock[]): Promise<DocumentsWorld> {
  const dbs = freshDatabases();
  await tasksRepo(dbs.field).applyPage([{ kind: 'upsert', seq: 1, task }], '1', 1, 'x');
  await referenceRepo(dbs.cache).put(makeReference(), '"e1"', 'x');
  const s = testServices(dbs);
  const numbers = docNumbersRepo(dbs.field);
  for (const [i, b] of blocks.entries()) {
    const requestId = `req-${i}`;
    await numbers.addRequest({
      requestId,
      docType: b.docType,
      count: b.to - b.from + 1,
      requestedAt: '2026-05-01T00:00:00Z',
    });
    await numbers.applyReservation(requestId, { prefix: b.prefix, from: b.from, to: b.to });
  }
  const documents = () =>
    createDocumentsService(s.internals.runtime, {
      tasks: s.tasks,
      enterprises: s.enterprises,
      inspection: s.inspection,
      auth: signedIn,
      renderer: () => renderer,
    });
  return { dbs, s, documents };
}
