import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev -w web` proxies the API to a backend on :3000; `npm run build` writes dist/, which the backend serves.
const backend = process.env.BACKEND_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      output: {
        // The template editor is the one heavy page: CodeMirror with HTML's CSS and JavaScript modes made it one
        // 569 kB chunk, over Vite's 500 kB warning. The editor's core and the language modes apart load in
        // parallel, and stay cached across releases that change only our code.
        manualChunks: (id) => {
          if (/[\\/]node_modules[\\/](@codemirror[\\/]lang-|@lezer[\\/](html|css|javascript))/.test(id)) return 'codemirror-languages';
          if (/[\\/]node_modules[\\/](@codemirror|@lezer|style-mod|w3c-keyname|crelt)[\\/]/.test(id)) return 'codemirror';
          return undefined;
        },
      },
    },
  },
  server: { proxy: { '/api': backend, '/auth': backend } },
});
