// Vite build of the renderer: one app for Electron (served from app://bundle/) and the installable
// browser build. base './' keeps every URL relative so both origins work. The service worker
// (renderer/src/sw/sw.ts) is a second entry emitted as a fixed-name `sw.js`; the `precacheManifest`
// plugin below prepends the final list of built files to it, so the browser build reloads offline.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const rendererRoot = fileURLToPath(new URL('./renderer', import.meta.url));
const SW_ENTRY = 'sw';

/** Files never precached: the service worker itself and the runtime config (network-first). */
const NOT_PRECACHED = new Set(['sw.js', 'app-config.json']);

function precacheManifest(): Plugin {
  return {
    name: 'smart-inspect-precache-manifest',
    apply: 'build',
    generateBundle(_options, bundle) {
      // Public files (manifest, icons) are copied beside the bundle without passing through it.
      const publicFiles = readdirSync(new URL('./renderer/public', import.meta.url));
      const files = [...new Set([...Object.keys(bundle), ...publicFiles])]
        .filter((f) => !NOT_PRECACHED.has(f) && !f.endsWith('.map') && f !== 'index.html')
        .sort();
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      const sw = bundle['sw.js'];
      if (!sw || sw.type !== 'chunk') throw new Error('precacheManifest: sw.js chunk missing from the bundle');
      if (!sw.code.includes('__PRECACHE_MANIFEST__'))
        throw new Error('precacheManifest: sw.js does not read __PRECACHE_MANIFEST__');
      const manifest = JSON.stringify({ version, files: ['./', ...files] });
      sw.code = `self.__PRECACHE_MANIFEST__ = ${manifest};\n${sw.code}`;
    },
  };
}

export default defineConfig(({ mode }) => ({
  root: rendererRoot,
  base: './',
  plugins: [react(), precacheManifest()],
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  worker: { format: 'es' },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: mode === 'development',
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      input: {
        index: fileURLToPath(new URL('./renderer/index.html', import.meta.url)),
        [SW_ENTRY]: fileURLToPath(new URL('./renderer/src/sw/sw.ts', import.meta.url)),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === SW_ENTRY ? 'sw.js' : 'assets/[name]-[hash].js'),
        manualChunks: (id) => {
          if (/node_modules[\\/](react|react-dom|scheduler)[\\/]/.test(id)) return 'react';
          if (/node_modules[\\/](zod)[\\/]/.test(id)) return 'zod';
          if (/node_modules[\\/](dexie)[\\/]/.test(id)) return 'dexie';
          return undefined;
        },
      },
    },
  },
}));
