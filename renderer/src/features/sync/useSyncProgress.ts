/** Subscribes to the sync service's progress; returns the latest snapshot. */
import { useEffect, useState } from 'react';
import { services } from '../../services/index.js';
import type { SyncProgress } from '../../services/index.js';

export function useSyncProgress(): SyncProgress {
  const [progress, setProgress] = useState<SyncProgress>(() => services.sync.progress());
  useEffect(() => services.sync.subscribe(setProgress), []);
  return progress;
}
