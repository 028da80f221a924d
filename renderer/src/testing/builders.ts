/**
 * Test builders for the data layer's tests: valid tasks, enterprises, reference data and a fresh
 * pair of databases per test (fake-indexeddb in Node). Not imported by app code.
 */
import { usccCheckChar } from '../../../shared/domain/uscc.js';
import { DOC_TEMPLATE_VERSIONS, DOC_TYPES } from '../../../shared/protocol/index.js';
import type { Enterprise, Reference, Task, TeamMember } from '../../../shared/protocol/index.js';
import { closeDatabases, openDatabases, type AttachmentRow, type Databases } from '../db/index.js';
import { DEMO_PLATFORM_LOG_KEY } from '../../../shared/transparency/demo-log-key.js';
import { DEMO_PLATFORM_BUNDLE_KEY } from '../../../shared/bundle/demo-bundle-key.js';
import { sealedVault, type PlatformAdapter } from '../platform/adapter.js';
import { createServices, type CreatedServices, type ServiceDeps } from '../services/index.js';
import { manualNetwork } from '../services/network/network.service.js';

let counter = 0;

/**
 * A fixed station cache key for tests only (the app gets the station's key from the platform).
 * Tests that exercise a wrong or rotated key make their own.
 */
export const TEST_CACHE_KEY = { keyId: 'test-station-key', key: new Uint8Array(32).fill(7) } as const;

export function freshDatabases(): Databases & { prefix: string } {
  counter += 1;
  const prefix = `t${counter}-${Math.random().toString(36).slice(2, 8)}-`;
  return { ...openDatabases(prefix, { cacheKey: TEST_CACHE_KEY }), prefix };
}

export async function disposeDatabases(dbs: Databases): Promise<void> {
  closeDatabases(dbs);
  await dbs.field.delete();
  await dbs.cache.delete();
}

export function makeUscc(n: number): string {
  const body = `91330100${String(n).padStart(9, '0')}`;
  return body + usccCheckChar(body);
}

export function member(i: number, over: Partial<TeamMember> = {}): TeamMember {
  return {
    inspectorId: `insp-${i}`,
    name: `检查员${i}`,
    certNo: `3301000000${i}`.padEnd(11, '0'),
    certExpiry: '2030-12-31',
    role: i === 1 ? 'leader' : 'member',
    ...over,
  };
}

export function makeTask(n: number, over: Partial<Task> = {}): Task {
  return {
    id: `task-${n}`,
    taskNo: `T2026-${n}`,
    version: 1,
    status: 'assigned',
    plan: {
      id: 'plan-1',
      code: 'P1',
      name: '2026年度双随机抽查',
      year: 2026,
      targeted: false,
      leadDept: 'SC',
      crossDept: false,
      start: '2026-01-01',
      end: '2026-12-31',
    },
    enterprise: { uscc: makeUscc(n), name: `测试企业${n}有限公司`, address: '杭州市' },
    items: [
      {
        code: 'A01',
        name: '营业执照公示',
        department: 'SC',
        departmentName: '市场监管',
        legalBasis: '条例',
        method: '查看',
        key: false,
      },
      {
        code: 'A02',
        name: '年度报告',
        department: 'SC',
        departmentName: '市场监管',
        legalBasis: '条例',
        method: '查看',
        key: true,
      },
    ],
    team: [member(1), member(2)],
    dueDate: `2026-06-${String((n % 28) + 1).padStart(2, '0')}`,
    draw: { seed: 's', algorithm: 'v1', candidateHash: 'c', drawnHash: 'd' },
    ...over,
  };
}

export function makeEnterprise(n: number, over: Partial<Enterprise> = {}): Enterprise {
  return {
    uscc: makeUscc(n),
    regNo: null,
    version: 1,
    name: `测试企业${n}有限公司`,
    entType: '有限责任公司',
    legalRep: '张三',
    regCapital: 100,
    establishDate: '2015-03-01',
    status: '存续',
    regAuthority: '杭州市市场监管局',
    address: '杭州市',
    region: '330100',
    industry: '零售',
    businessScope: '日用百货',
    phone: '0571-0000000',
    licences: [],
    penalties: [],
    abnormalList: [],
    seriousList: [],
    spotChecks: [],
    commitments: [],
    specialEquipment: [],
    internal: {
      creditClass: 'B',
      classHistory: [],
      // Not a food or special-equipment unit: no four-colour warning.
      warningColor: null,
      foodRiskLevel: null,
      seKeyUnit: false,
      complaints12345: 0,
    },
    ...over,
  };
}

/** A stored three-byte photo of a result: enough for the uploader, which reads the row and its blob. */
export function makePhotoAttachment(resultId: string, id = `att-${resultId}`): AttachmentRow {
  return {
    id,
    resultId,
    taskId: 't-1',
    kind: 'photo',
    mime: 'image/png',
    size: 3,
    sha256: 'a'.repeat(64),
    blob: new Blob([new Uint8Array([1, 2, 3])]),
    thumbnail: null,
    fileName: 'x.png',
    capturedAt: '2026-12-04T00:00:00Z',
  };
}

export function makeReference(over: Partial<Reference> = {}): Reference {
  return {
    version: 'ref-1',
    resultCodes: [{ code: 'NO_PROBLEM', label: '未发现问题' }],
    checkMethods: [{ code: 'ON_SITE', label: '实地检查' }],
    followUps: [{ code: 'NONE', label: '无需后续处置' }],
    departments: [{ code: 'SC', name: '市场监管' }],
    items: [],
    lenientList: [],
    calendar: { holidays: ['2026-05-01', '2026-05-04', '2026-05-05'], workdays: ['2026-05-09'] },
    publicationWorkingDays: 20,
    documentTemplates: DOC_TYPES.map((docType) => ({ docType, version: DOC_TEMPLATE_VERSIONS[docType] })),
    ...over,
  };
}

/** A browser-style adapter with a fixed platform URL and the sealed IndexedDB vault. */
export function testAdapter(platformUrl = 'http://127.0.0.1:9'): PlatformAdapter {
  return {
    kind: 'browser',
    config: async () => ({
      platformUrl,
      demo: true,
      stationName: '测试所',
      // The simulator signs its log with the demo key unless a test starts it with another one.
      platformLogKey: DEMO_PLATFORM_LOG_KEY,
      platformBundleKey: DEMO_PLATFORM_BUNDLE_KEY,
      lockIdleMinutes: 10,
      offlineCredentialDays: 30,
    }),
    vault: sealedVault,
  };
}

export function testServices(
  dbs: Databases & { prefix?: string },
  over: Partial<ServiceDeps> = {},
  options: Parameters<typeof createServices>[1] = {},
): CreatedServices {
  return createServices(
    {
      dbs,
      dbPrefix: dbs.prefix ?? '',
      adapter: testAdapter(),
      network: manualNetwork(true),
      random: () => 0.5,
      now: () => new Date('2026-05-06T02:00:00Z'),
      verifierIterations: 1000,
      ...over,
    },
    options,
  );
}
