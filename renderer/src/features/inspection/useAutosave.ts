/**
 * Autosave for the inspection form: every change is first journaled at once (the keystroke journal
 * in IndexedDB, see services/inspection/draft-journal.ts: committed within moments, so a killed browser keeps it), then
 * scheduled (debounced) as a draft save, and flushed at once on blur, when the page is hidden
 * (visibilitychange) or being unloaded (pagehide), and on unmount. Saves run one after another in
 * order; the status says 已保存 only after the service resolved (its transaction committed), and
 * only then is the journal cleared (queued behind every journal write asked for before it).
 * A failed save keeps the form dirty and retries.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { services } from '../../services/index.js';
import type { Draft } from '../../services/index.js';

import type { SaveStatus } from '../../ui/SaveStatusText.js';

export type { SaveStatus };

export interface Autosave {
  readonly status: SaveStatus;
  /** Marks the form changed; saves after the debounce delay. */
  schedule(): void;
  /** Saves now if anything changed; resolves true when everything typed so far is stored. */
  flush(): Promise<boolean>;
}

const RETRY_MS = 2000;

export function useAutosave(read: () => Draft, delayMs = 300): Autosave {
  const [status, setStatus] = useState<SaveStatus>({ kind: 'idle' });
  const readRef = useRef(read);
  useEffect(() => {
    readRef.current = read;
  });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const dirty = useRef(false);
  const chain = useRef<Promise<boolean>>(Promise.resolve(true));
  const flushRef = useRef<() => Promise<boolean>>(() => Promise.resolve(true));

  const flush = useCallback((): Promise<boolean> => {
    if (timer.current !== null) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    if (!dirty.current) return chain.current;
    dirty.current = false;
    const draft: Draft = { ...readRef.current(), updatedAt: new Date().toISOString() };
    setStatus({ kind: 'saving' });
    chain.current = chain.current.then(() =>
      services.inspection.saveDraft(draft).then(
        ({ savedAt }) => {
          if (!dirty.current) {
            void services.inspection.journal.clear(draft.resultId);
            setStatus({ kind: 'saved', savedAt });
          }
          return !dirty.current;
        },
        (err: unknown) => {
          dirty.current = true;
          setStatus({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
          timer.current = setTimeout(() => void flushRef.current(), RETRY_MS);
          return false;
        },
      ),
    );
    return chain.current;
  }, []);

  useEffect(() => {
    flushRef.current = flush;
  }, [flush]);

  const schedule = useCallback((): void => {
    dirty.current = true;
    void services.inspection.journal.write(readRef.current(), new Date());
    setStatus((s) => (s.kind === 'error' ? s : { kind: 'dirty' }));
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush(), delayMs);
  }, [flush, delayMs]);

  useEffect(() => {
    const onHidden = (): void => {
      if (document.visibilityState === 'hidden') void flush();
    };
    const onPageHide = (): void => void flush();
    document.addEventListener('visibilitychange', onHidden);
    window.addEventListener('pagehide', onPageHide);
    return () => {
      document.removeEventListener('visibilitychange', onHidden);
      window.removeEventListener('pagehide', onPageHide);
      void flush();
    };
  }, [flush]);

  return { status, schedule, flush };
}
