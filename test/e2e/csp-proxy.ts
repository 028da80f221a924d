/**
 * A loopback proxy in front of the static server that adds the Electron app's CSP header to every
 * answer, so a spec runs the browser build under the policy app://bundle pages get.
 */
import { createServer, request } from 'node:http';

export async function cspProxy(target: string, csp: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const up = request(`${target}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, { ...r.headers, 'content-security-policy': csp });
      r.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** Collects CSP violations from the first script on every page of the context. */
export const RECORD_CSP_VIOLATIONS = (): void => {
  const seen: string[] = [];
  (globalThis as unknown as { __csp: string[] }).__csp = seen;
  document.addEventListener('securitypolicyviolation', (e) =>
    seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
  );
};
