/**
 * Autosave for a document form: every change is scheduled (debounced) as a sealed draft save, and
 * flushed at once when the page is hidden or unloaded, when the vault locks (the documents service
 * runs every held flush before the key is dropped), before issuing and on unmount. Saves run one
 * after another in order, so an older value never overwrites a newer one; the status says 已保存
 * only after the service resolved (its transaction committed). A failed save keeps the form dirty
 * and retries. After the document is issued (its draft deleted with it) nothing is saved again.
 */
import type { SaveStatus } from '../../ui/SaveStatusText.js';
import { useCallback, useEffect, useRef, useState } from 'react';
import { services } from '../../services/index.js';
import type { DocumentKindName, DocumentRequest, DocumentsService } from '../../services/index.js';

type Details = DocumentRequest['details'];

export type DraftStatus = SaveStatus;

export interface FormDraftSaver {
  readonly status: DraftStatus;
  /** Remembers the form's latest values; saves them after the debounce delay. */
  schedule(values: Details): void;
  /** Saves now if anything changed; resolves true when everything typed so far is stored. */
  flush(): Promise<boolean>;
  /** The document was issued: drop anything pending and never save again. */
  stop(): void;
}

const RETRY_MS = 2000;

export function useFormDraft(taskId: string, kind: DocumentKindName, delayMs = 300): FormDraftSaver {
  const [status, setStatus] = useState<DraftStatus>({ kind: 'idle' });
  const latest = useRef<Details | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const dirty = useRef(false);
  const stopped = useRef(false);
  const chain = useRef<Promise<boolean>>(Promise.resolve(true));
  const flushRef = useRef<() => Promise<boolean>>(() => Promise.resolve(true));
  /**
   * The unlocked partition's save, bound when last reachable: while the vault is locking, the app's
   * services already refuse (no scope), yet the partition's own service still writes until its key
   * is dropped, and that is when the held flush must land.
   */
  const saveRef = useRef<DocumentsService['saveFormDraft'] | null>(null);
  const currentSave = (): DocumentsService['saveFormDraft'] => {
    try {
      saveRef.current = services.documents.saveFormDraft;
    } catch (e) {
      if (!saveRef.current) throw e;
    }
    return saveRef.current;
  };

  const clearTimer = (): void => {
    if (timer.current !== null) {
      clearTimeout(timer.current);
      timer.current = null;
    }
  };

  const flush = useCallback((): Promise<boolean> => {
    clearTimer();
    if (stopped.current || !dirty.current || latest.current === null) return chain.current;
    dirty.current = false;
    const values = latest.current;
    setStatus({ kind: 'saving' });
    chain.current = chain.current.then(() =>
      // Through a promise: while locked the services throw at once, and that must land in the handler too.
      Promise.resolve()
        .then(() => currentSave()(taskId, kind, values))
        .then(
          ({ savedAt }) => {
            if (!dirty.current && !stopped.current) setStatus({ kind: 'saved', savedAt });
            return !dirty.current;
          },
          (err: unknown) => {
            if (stopped.current) return false;
            dirty.current = true;
            setStatus({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
            timer.current = setTimeout(() => void flushRef.current(), RETRY_MS);
            return false;
          },
        ),
    );
    return chain.current;
  }, [taskId, kind]);

  useEffect(() => {
    flushRef.current = flush;
  }, [flush]);

  const schedule = useCallback(
    (values: Details): void => {
      if (stopped.current) return;
      latest.current = values;
      dirty.current = true;
      setStatus((s) => (s.kind === 'error' ? s : { kind: 'dirty' }));
      clearTimer();
      timer.current = setTimeout(() => void flushRef.current(), delayMs);
    },
    [delayMs],
  );

  const stop = useCallback((): void => {
    stopped.current = true;
    dirty.current = false;
    clearTimer();
  }, []);

  useEffect(() => {
    const onHidden = (): void => {
      if (document.visibilityState === 'hidden') void flush();
    };
    const onPageHide = (): void => void flush();
    document.addEventListener('visibilitychange', onHidden);
    window.addEventListener('pagehide', onPageHide);
    currentSave();
    const release = services.documents.holdFormDraft(flush);
    return () => {
      document.removeEventListener('visibilitychange', onHidden);
      window.removeEventListener('pagehide', onPageHide);
      void flush().finally(release);
    };
  }, [flush]);

  return { status, schedule, flush, stop };
}
