import { defineConfig } from 'vite';

// The gateway serves this build at /ui/ (and the page at / for browsers): assets are under /ui/.
export default defineConfig({
  base: '/ui/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1024 },
});
