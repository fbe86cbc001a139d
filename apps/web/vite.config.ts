import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console (UI.md): built by `npm run build` into dist/web, which the api serves at `/`.
 * Vite 8 transforms TSX itself (oxc, `jsx: react-jsx` in this folder's tsconfig.json), so no
 * React plugin. `npm exec vite apps/web` serves it with the API proxied to a local api on :3000.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    // The hashed file names are what lets the api serve /assets/* as immutable.
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      // Ant Design's files start with "use client" (for React Server Components), meaningless in a bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
