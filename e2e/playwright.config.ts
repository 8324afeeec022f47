import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser (TOOLCHAIN.md). Without the background
// networking flags Chromium keeps dialling hosts this machine cannot reach.
export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json']],
  outputDir: './test-results',
  use: {
    // Herald registers a service worker (sw.js); tests of everything else run without it, as
    // a first visit does. The worker's own specs (offline, update) allow it.
    serviceWorkers: 'block',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
