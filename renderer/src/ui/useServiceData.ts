/**
 * Loads data from a service and reloads it whenever the service signals a change. Keeps the last
 * good value while reloading; errors are kept as text for the screen to show. State is only set
 * from the promise callbacks, never synchronously inside the effect.
 */
import { useEffect, useRef, useState } from 'react';

/** What a `subscribe` returns: stops the notifications. */
export type Unsubscribe = () => void;

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: string | null;
  readonly loading: boolean;
}

interface State<T> {
  readonly data: T | undefined;
  readonly error: string | null;
  readonly loading: boolean;
}

export function useServiceData<T>(
  load: () => Promise<T>,
  subscribe: ((listener: () => void) => Unsubscribe) | null,
  deps: readonly unknown[],
): Loaded<T> {
  const [state, setState] = useState<State<T>>({ data: undefined, error: null, loading: true });
  const loadRef = useRef(load);
  const subscribeRef = useRef(subscribe);
  useEffect(() => {
    loadRef.current = load;
    subscribeRef.current = subscribe;
  });

  useEffect(() => {
    let alive = true;
    let generation = 0;
    const run = (): void => {
      const gen = ++generation;
      loadRef.current().then(
        (data) => {
          if (alive && gen === generation) setState({ data, error: null, loading: false });
        },
        (err: unknown) => {
          const error = err instanceof Error ? err.message : String(err);
          if (alive && gen === generation) setState((s) => ({ data: s.data, error, loading: false }));
        },
      );
    };
    run();
    const unsubscribe = subscribeRef.current ? subscribeRef.current(run) : null;
    return () => {
      alive = false;
      unsubscribe?.();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  return state;
}
