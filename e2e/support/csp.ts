import { createHash } from 'node:crypto';

/**
 * The strict policy as `cargo xtask build` prints it for a deployment (the Rust original is
 * dev-backend/src/csp.rs; csp.spec.ts holds the backend's header to this text).
 */
export function policy(scriptHashes: string[], connect: string[]): string {
  return [
    "default-src 'none'",
    `script-src ${["'self'", "'wasm-unsafe-eval'", ...scriptHashes].join(' ')}`,
    "style-src 'self'",
    `connect-src ${[...new Set(["'self'", ...connect])].join(' ')}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "manifest-src 'self'",
    "worker-src 'self'",
    "base-uri 'self'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** `'sha256-…'` of every inline `<script>` of an HTML text, as the browser hashes them. */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)]
    .filter(([, attributes]) => !/(^|\s)src\s*=/i.test(attributes))
    .map(([, , body]) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
}

/** API and socket origins a `config.json` text names (none if it is not usable). */
export function connectOrigins(configText: string | undefined): string[] {
  if (configText === undefined) return [];
  try {
    const config = JSON.parse(configText);
    const origins: string[] = [];
    if (typeof config.api_base_url === 'string') {
      const api = new URL(config.api_base_url);
      origins.push(api.origin);
      if (typeof config.ws_url !== 'string') origins.push(api.origin.replace(/^http/, 'ws'));
    }
    if (typeof config.ws_url === 'string') origins.push(new URL(config.ws_url).origin);
    return origins.filter((o) => /^(https?|wss?):\/\//.test(o));
  } catch {
    return [];
  }
}
