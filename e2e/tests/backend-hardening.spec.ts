import { chromium, type Page } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '../support/fixtures';
import { Backend } from '../support/backend';
import { connection, openSockets, signIn } from '../support/app';
import { startStatic } from '../support/static-server';

// Issue #12, items 12 and 13 (and the flags items 1, 4 and 5 rely on), seen from a browser.

const wsUrl = (backend: Backend, query: string) => `${backend.url.replace(/^http/, 'ws')}/ws/notifications/${query}`;

/** Opens a socket from the page: the first frame's text, or how it closed. */
const openSocket = (page: Page, url: string) =>
  page.evaluate(
    (u) =>
      new Promise<string>((done) => {
        const ws = new WebSocket(u);
        ws.onmessage = (e) => {
          done(String(e.data));
          ws.close();
        };
        ws.onclose = (e) => done(`closed ${e.code}`);
      }),
    url,
  );

test.describe('reference backend hardening', () => {
  test('the ?user_id= socket hole is open only on a backend started to show it', async ({ page, backend }) => {
    // The suite's (and the demo's) backend: no --user-id-query-hole.
    await page.goto(`${backend.url}/login`);
    expect(await openSocket(page, wsUrl(backend, '?user_id=36'))).toBe('closed 1006');
    expect((await backend.control('attempts')).attempts).toEqual([
      expect.objectContaining({ accepted: false, reason: 'missing token', user_id_in_query: true }),
    ]);

    const holey = new Backend({ userIdQueryHole: true });
    await holey.start(0);
    try {
      await page.goto(`${holey.url}/login`);
      const hello = JSON.parse(await openSocket(page, wsUrl(holey, '?user_id=36')));
      expect(hello).toMatchObject({ type: 'connection_established', user_id: 36 });
    } finally {
      await holey.dispose();
    }
  });

  test('pages of other sites and rebound host names cannot reach /test/', async ({ page, backend }, testInfo) => {
    await signIn(page, backend);
    const attemptsBefore = (await backend.control('attempts')).attempts.length;
    expect(attemptsBefore).toBeGreaterThan(0);

    // Another site, whose name its attacker points at 127.0.0.1 (DNS rebinding).
    const root = mkdtempSync(join(tmpdir(), 'herald-elsewhere-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Elsewhere</title>');
    const elsewhere = await startStatic({ root, config: '{}', csp: false });
    const launch = testInfo.project.use.launchOptions ?? {};
    const other = await chromium.launch({
      ...launch,
      args: [...(launch.args ?? []), '--host-resolver-rules=MAP rebind.test 127.0.0.1'],
    });
    try {
      const evil = await other.newPage();
      const answers: string[] = [];
      evil.on('response', (r) => {
        if (r.url().includes('/test/')) answers.push(`${new URL(r.url()).host} ${r.status()}`);
      });
      await evil.goto(`http://rebind.test:${new URL(elsewhere.url).port}/`);
      const port = new URL(backend.url).port;
      const readable = await evil.evaluate(async (port) => {
        // A preflight-free POST would act even though its answer stays unreadable.
        await fetch(`http://127.0.0.1:${port}/test/reset/`, { method: 'POST', mode: 'no-cors', body: '{}' });
        // Through the rebound name the browser treats the backend as that site's own.
        await fetch(`http://rebind.test:${port}/test/reset/`, { method: 'POST', mode: 'no-cors', body: '{}' });
        try {
          await fetch(`http://127.0.0.1:${port}/test/attempts/`);
          return true;
        } catch {
          return false;
        }
      }, port);
      expect(readable, 'no CORS on /test/').toBe(false);
      // Each request reached the backend, which answered as if there were no /test/.
      expect(answers.slice(0, 2)).toEqual([`127.0.0.1:${port} 404`, `rebind.test:${port} 404`]);
      expect(answers.every((a) => a.endsWith(' 404')), answers.join(', ')).toBe(true);
    } finally {
      await other.close();
      await elsewhere.close();
      rmSync(root, { recursive: true, force: true });
    }
    // Nothing was reset: same attempts, same socket, still signed in.
    expect((await backend.control('attempts')).attempts.length).toBe(attemptsBefore);
    expect(await openSockets(backend)).toBe(1);
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
  });

  test('a page of another site on this machine cannot reset the backend (issue #20, item 9)', async ({ page, backend }) => {
    await signIn(page, backend);
    const attemptsBefore = (await backend.control('attempts')).attempts.length;
    expect(attemptsBefore).toBeGreaterThan(0);

    // Another local site (a dev server on another port): its Origin is loopback, so the Origin
    // check lets it through; only the Content-Type rule stops its preflight-free POST.
    const root = mkdtempSync(join(tmpdir(), 'herald-local-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Local dev server</title>');
    const local = await startStatic({ root, config: '{}', csp: false });
    const neighbour = await page.context().newPage();
    try {
      const answers: string[] = [];
      neighbour.on('response', (r) => {
        if (r.url().includes('/test/')) answers.push(`${r.request().method()} ${r.status()}`);
      });
      await neighbour.goto(local.url);
      const port = new URL(backend.url).port;
      const json = await neighbour.evaluate(async (port) => {
        // A simple POST: sent at once, no preflight (text/plain is what fetch gives a string).
        await fetch(`http://127.0.0.1:${port}/test/reset/`, { method: 'POST', mode: 'no-cors', body: '{}' });
        // A JSON POST needs a preflight, which /test/ never grants: the POST is never sent.
        try {
          await fetch(`http://127.0.0.1:${port}/test/reset/`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          });
          return 'sent';
        } catch {
          return 'blocked';
        }
      }, port);
      expect(json).toBe('blocked');
      expect(answers.filter((a) => a.startsWith('POST')), answers.join(', ')).toEqual(['POST 415']);
    } finally {
      await neighbour.close();
      await local.close();
      rmSync(root, { recursive: true, force: true });
    }
    // Nothing was reset: same attempts, same socket, still signed in.
    expect((await backend.control('attempts')).attempts.length).toBe(attemptsBefore);
    expect(await openSockets(backend)).toBe(1);
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
  });

  test('--access-ttl 8 --blacklist-after-rotation: a used refresh token is spent', async ({ page }) => {
    const rotating = new Backend({ extraArgs: ['--access-ttl', '8', '--blacklist-after-rotation'] });
    await rotating.start(0);
    try {
      const login = await (
        await fetch(`${rotating.url}/api/auth/login/`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'finance2', password: 'Passw0rd!' }),
        })
      ).json();
      const payload = JSON.parse(Buffer.from(login.token.split('.')[1], 'base64url').toString());
      expect(payload.exp - payload.iat).toBe(8);
      const refresh = () =>
        fetch(`${rotating.url}/api/auth/token-refresh/`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refresh: login.refresh }),
        });
      expect((await refresh()).status).toBe(200);
      const again = await refresh();
      expect(again.status).toBe(401);
      expect(await again.json()).toEqual({ error: 'Invalid or expired refresh token' });

      // The app, alone in its tab, lives through a rotation there.
      await signIn(page, rotating);
      const rotated = await page.waitForResponse((r) => r.url().endsWith('/api/auth/token-refresh/') && r.status() === 200, { timeout: 20_000 });
      expect(rotated.ok()).toBe(true);
      await rotating.control('drop', {});
      await expect(connection(page)).toHaveAttribute('data-connection', 'connected', { timeout: 15_000 });
      await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    } finally {
      await rotating.dispose();
    }
  });

  test('a held socket upgrade keeps the app waiting until released', async ({ page, backend }) => {
    await backend.hold('/ws/notifications/', 'finance1');
    await page.goto(`${backend.url}/login`);
    await page.getByLabel('Username').fill('finance1');
    await page.getByLabel('Password').fill('Passw0rd!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => backend.held('/ws/notifications/')).toBeGreaterThan(0);
    await expect(connection(page)).not.toHaveAttribute('data-connection', 'connected');
    expect(await backend.release('/ws/notifications/')).toBeGreaterThan(0);
    await expect(connection(page)).toHaveAttribute('data-connection', 'connected');
    expect(await backend.held('/ws/notifications/')).toBe(0);
  });
});
