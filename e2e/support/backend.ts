import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, createWriteStream, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Paths handed over by `cargo xtask test` (defaults for running `npx playwright test` by hand). */
export const DIST = resolve(process.env.HERALD_DIST ?? '../dist');
export const BACKEND_BIN = resolve(process.env.HERALD_BACKEND_BIN ?? '../target/debug/dev-backend');

export interface BackendOptions {
  /** `--access-ttl`: access token lifetime in seconds. */
  accessTtl?: number;
  /** `--blacklist-after-rotation`: a used refresh token is spent (SimpleJWT's setting, on in
   *  production, so on unless `false`). */
  blacklistAfterRotation?: boolean;
  /** `--user-id-query-hole`: reproduce production's `?user_id=` socket fallback. */
  userIdQueryHole?: boolean;
  /** Any further command-line arguments, e.g. `['--access-ttl', '8', '--blacklist-after-rotation']`. */
  extraArgs?: string[];
}

/** The reference backend in a child process: real HTTP, real sockets, its own data file. */
export class Backend {
  url = '';
  port = 0;
  private child: ChildProcess | null = null;
  private readonly dir = mkdtempSync(join(tmpdir(), 'herald-e2e-'));
  readonly logPath = join(this.dir, 'backend.log');
  private readonly log = createWriteStream(this.logPath, { flags: 'a' });

  constructor(private options: BackendOptions = {}) {}

  /** Starts on `port` (0: any free port) and waits until it listens. */
  async start(port = this.port): Promise<void> {
    const args = [
      '--host', '127.0.0.1', '--port', String(port), '--control',
      '--dist', DIST, '--data', join(this.dir, 'db.sqlite3'),
      ...(this.options.accessTtl ? ['--access-ttl', String(this.options.accessTtl)] : []),
      // Production blacklists a used refresh token (PROTOCOL.md): so does every test backend unless told not to.
      ...((this.options.blacklistAfterRotation ?? true) && !this.options.extraArgs?.includes('--blacklist-after-rotation')
        ? ['--blacklist-after-rotation'] : []),
      ...(this.options.userIdQueryHole ? ['--user-id-query-hole'] : []),
      ...(this.options.extraArgs ?? []),
    ];
    const child = spawn(BACKEND_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stderr!.pipe(this.log, { end: false });
    this.url = await new Promise<string>((ok, fail) => {
      let out = '';
      const timer = setTimeout(() => fail(new Error(`backend did not start: ${out}`)), 15_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = out.match(/listening on (http:\/\/\S+)/);
        if (m) {
          clearTimeout(timer);
          ok(m[1]);
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`backend exited with ${code}: ${out}`));
      });
    });
    this.port = Number(new URL(this.url).port);
  }

  /** Kills the process (sockets see an abrupt drop). */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((done) => {
      child.once('exit', () => done());
      child.kill('SIGKILL');
    });
  }

  /**
   * Restarts on the same port with an empty data file: a new signing key, so every token the
   * browser holds is now invalid (as after a secret rotation).
   */
  async restartWithNewKey(): Promise<void> {
    await this.stop();
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(this.dir, `db.sqlite3${suffix}`), { force: true });
    await this.start();
  }

  /**
   * Restarts on the same port with the same data file (the same signing key: every token the
   * browser holds stays valid) and `options` merged over the current ones, e.g. another
   * `accessTtl`.
   */
  async restartWith(options: BackendOptions): Promise<void> {
    await this.stop();
    this.options = { ...this.options, ...options };
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.log.end();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Calls the test-control API. */
  async control<T = any>(path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}/test/${path}/`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`/test/${path}/ answered ${res.status}: ${await res.text()}`);
    return res.json() as Promise<T>;
  }

  /**
   * Stalls `path` (exact, e.g. `/api/auth/Notifications/`, `/ws/notifications/`,
   * `/api/auth/token-refresh/`): from now on its requests (only `username`'s, if given) wait
   * unanswered until `release(path)` or a reset.
   */
  async hold(path: string, username?: string): Promise<void> {
    await this.control('hold', username === undefined ? { path } : { path, username });
  }

  /** Lets every request held on `path` proceed; returns how many were waiting. */
  async release(path: string): Promise<number> {
    return (await this.control<{ released: number }>('release', { path })).released;
  }

  /** Requests waiting now on `path` (0 if none or not held). */
  async held(path: string): Promise<number> {
    return (await this.control<{ held: Record<string, number> }>('held')).held[path] ?? 0;
  }
}
