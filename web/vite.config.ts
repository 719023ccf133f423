// The web application's build. `npm start` runs it when the sources changed (scripts/build-web.ts);
// `npx vite web` serves it with hot reload against a server on :3000 for development.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
