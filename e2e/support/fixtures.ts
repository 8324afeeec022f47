import { test as base, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { Backend } from './backend';

type WorkerFixtures = { backend: Backend };

/**
 * `backend`: one reference backend per worker, reset before each test; its log is attached
 * to failing tests. The process is always stopped, also when tests fail.
 */
export const test = base.extend<{ resetBackend: void }, WorkerFixtures>({
  backend: [
    async ({}, use) => {
      const backend = new Backend();
      await backend.start(0);
      await use(backend);
      await backend.dispose();
    },
    { scope: 'worker' },
  ],
  resetBackend: [
    async ({ backend }, use, testInfo) => {
      await backend.control('reset', {});
      await use();
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('backend.log', { body: readFileSync(backend.logPath), contentType: 'text/plain' });
      }
    },
    { auto: true },
  ],
});

export { expect };
