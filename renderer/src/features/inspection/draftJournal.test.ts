/** The keystroke journal: written synchronously, replayed only for the same draft and only when it parses and differs. */
import { describe, expect, it } from 'vitest';
import type { Draft } from '../../services/index.js';
import { clearJournal, readJournal, writeJournal, type JournalStore } from './draftJournal.js';

function memoryStore(): JournalStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

function draft(over: Partial<Draft> = {}): Draft {
  return {
    taskId: 't-1', resultId: 'r-1', startedAt: '2026-11-22T01:00:00.000Z', inspectedOn: '2026-11-22',
    items: [{ itemCode: 'N010', outcome: 'fail', note: '', finding: { description: '', legalBasis: '条例', severity: 'general', handling: 'rectify', rectifyDeadline: null, lenient: null } }],
    findings: '', resultCodes: [], checkMethods: [], followUps: [], replaces: null, updatedAt: '2026-11-22T01:00:00.000Z',
    captions: {}, signatures: [], templates: [], usccNote: '',
    ...over,
  };
}

describe('draft journal', () => {
  it('gives back the typed text that was never saved', () => {
    const store = memoryStore();
    const saved = draft();
    expect(writeJournal({ ...saved, findings: '台账记录不全' }, new Date('2026-11-22T01:00:05Z'), store)).toBe(true);
    expect(readJournal(saved, store)?.findings).toBe('台账记录不全');
  });

  it('replays nothing when the journal says the same as the saved draft (only the save stamp differs), and forgets it', () => {
    const store = memoryStore();
    writeJournal(draft({ updatedAt: '2026-11-22T01:00:01.000Z' }), new Date(), store);
    expect(readJournal(draft({ updatedAt: '2026-11-22T01:00:02.000Z' }), store)).toBeNull();
    expect(store.map.size).toBe(0);
  });

  it('never applies a journal of another draft or task', () => {
    const store = memoryStore();
    writeJournal(draft({ findings: 'x' }), new Date(), store);
    expect(readJournal(draft({ resultId: 'r-2' }), store)).toBeNull();
    expect(readJournal(draft({ taskId: 't-2' }), store)).toBeNull();
  });

  it('drops a journal that does not parse instead of half-applying it', () => {
    const store = memoryStore();
    store.setItem('inspection-journal:r-1', '{"v":1,"writtenAt":"x","draft":{"taskId":"t-1","resultId":"r-1","items":"oops"}}');
    expect(readJournal(draft(), store)).toBeNull();
    store.setItem('inspection-journal:r-1', 'not json');
    expect(readJournal(draft(), store)).toBeNull();
    expect(store.map.size).toBe(0);
  });

  it('clearing after a committed save leaves nothing to replay', () => {
    const store = memoryStore();
    writeJournal(draft({ findings: 'y' }), new Date(), store);
    clearJournal('r-1', store);
    expect(readJournal(draft(), store)).toBeNull();
  });

  it('reports a journal that could not be written (storage full)', () => {
    const full: JournalStore = { getItem: () => null, removeItem: () => undefined, setItem: () => { throw new DOMException('quota', 'QuotaExceededError'); } };
    expect(writeJournal(draft(), new Date(), full)).toBe(false);
    expect(writeJournal(draft(), new Date(), null)).toBe(false);
  });
});
