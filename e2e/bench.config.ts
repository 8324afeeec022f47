import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// `cargo xtask bench`: browser measurements (not tests: nothing here asserts a time).
export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: '*.bench.ts',
  timeout: 30 * 60_000,
  reporter: [['list']],
  use: {
    ...base.use,
    trace: 'off',
    screenshot: 'off',
    launchOptions: {
      ...base.use!.launchOptions,
      args: [...(base.use!.launchOptions!.args ?? []), '--enable-precise-memory-info'],
    },
  },
});
