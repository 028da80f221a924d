/**
 * The tiny hash router: routes as data, parsed from and formatted to `location.hash`, so a reload
 * keeps the screen and the app works from app://bundle/ and any static host without server rewrites.
 */
export type Route =
  | { readonly name: 'login' }
  | { readonly name: 'sync' }
  | { readonly name: 'tasks' }
  | { readonly name: 'task'; readonly taskId: string }
  | { readonly name: 'inspect'; readonly taskId: string }
  | { readonly name: 'enterprises' }
  | { readonly name: 'enterprise'; readonly uscc: string }
  | { readonly name: 'outbox' }
  | { readonly name: 'settings' }
  | { readonly name: 'storage' }
  | { readonly name: 'usb' };

export const DEFAULT_ROUTE: Route = { name: 'tasks' };

function decode(segment: string | undefined): string | null {
  if (!segment) return null;
  try {
    const value = decodeURIComponent(segment);
    return value.length > 0 && value.length <= 200 ? value : null;
  } catch {
    return null;
  }
}

/** Parses `#/tasks/abc/inspect` etc.; anything unknown falls back to the task list. */
export function parseHash(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((p) => p.length > 0);
  const [head, id, tail] = parts;
  switch (head) {
    case 'login':
      return { name: 'login' };
    case 'sync':
      return { name: 'sync' };
    case 'outbox':
      return { name: 'outbox' };
    case 'enterprises': {
      const uscc = decode(id);
      return uscc ? { name: 'enterprise', uscc } : { name: 'enterprises' };
    }
    case 'settings':
      return { name: 'settings' };
    case 'storage':
      return { name: 'storage' };
    case 'usb':
      return { name: 'usb' };
    case 'tasks': {
      const taskId = decode(id);
      if (!taskId) return { name: 'tasks' };
      return tail === 'inspect' ? { name: 'inspect', taskId } : { name: 'task', taskId };
    }
    default:
      return DEFAULT_ROUTE;
  }
}

export function formatRoute(route: Route): string {
  switch (route.name) {
    case 'task':
      return `#/tasks/${encodeURIComponent(route.taskId)}`;
    case 'inspect':
      return `#/tasks/${encodeURIComponent(route.taskId)}/inspect`;
    case 'enterprise':
      return `#/enterprises/${encodeURIComponent(route.uscc)}`;
    default:
      return `#/${route.name}`;
  }
}
