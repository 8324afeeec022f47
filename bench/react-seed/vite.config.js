import { defineConfig } from 'vite';

// Plain production build; JSX through Vite's own transform (no extra plugin needed).
export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: 'dist', emptyOutDir: true },
});
