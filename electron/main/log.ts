/** Main-process log lines: one line per event, a JSON detail, never payloads or secrets. */
import type { Log } from './security.js';

export const log: Log = (message, detail) => {
  const line = detail === undefined ? message : `${message} ${JSON.stringify(detail)}`;
  console.log(`[main] ${new Date().toISOString()} ${line}`);
};
