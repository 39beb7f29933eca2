/**
 * Serve mode's gatekeeping (§8), Jupyter-style: a random access token is required on every
 * HTTP request and WebSocket (in the URL the first time, then in an HttpOnly cookie); the Host
 * header must name this server (defeats DNS rebinding); a browser's Origin must be this
 * server's own (defeats cross-site requests and sockets from other pages).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export const TOKEN_COOKIE = 'wirescope_token';

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

export function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

export type TokenSource = 'query' | 'cookie' | 'header';

/** Where the request's valid token came from, or null when it has none or a wrong one. */
export function presentedToken(req: IncomingMessage, url: URL, token: string): TokenSource | null {
  const q = url.searchParams.get('token');
  if (q !== null && tokensEqual(q, token)) return 'query';
  const auth = req.headers.authorization;
  if (auth && /^(Bearer|token)\s+/i.test(auth) && tokensEqual(auth.replace(/^(Bearer|token)\s+/i, ''), token)) return 'header';
  const c = cookieValue(req, TOKEN_COOKIE);
  if (c !== null && tokensEqual(c, token)) return 'cookie';
  return null;
}

/** Splits "host:port" / "[v6]:port". */
function hostName(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(1, hostHeader.indexOf(']'));
  const colon = hostHeader.lastIndexOf(':');
  return colon >= 0 && hostHeader.indexOf(':') === colon ? hostHeader.slice(0, colon) : hostHeader;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || host.startsWith('127.');
}

export interface HostPolicy {
  /** The address the server is bound to. */
  bindHost: string;
  port: number;
  /** Extra names the user allowed (--allow-host). */
  extraHosts?: string[];
}

/**
 * The Host header must name this server: localhost or an IP literal (a DNS name other than
 * those could be an attacker's name rebound to our address), plus any name the user allowed.
 * On a loopback bind only loopback names are accepted.
 */
export function hostAllowed(hostHeader: string | undefined, policy: HostPolicy): boolean {
  if (!hostHeader) return false;
  const name = hostName(hostHeader).toLowerCase();
  if (policy.extraHosts?.some((h) => h.toLowerCase() === name)) return true;
  if (isLoopbackHost(policy.bindHost)) return isLoopbackHost(name);
  return isLoopbackHost(name) || isIP(name) !== 0 || name === policy.bindHost.toLowerCase();
}

/** A browser's Origin must be this same server (scheme http, same host and port as Host). */
export function originAllowed(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true; // not a browser (curl, tests): the token decides
  if (!hostHeader) return false;
  try {
    const o = new URL(origin);
    return (o.protocol === 'http:' || o.protocol === 'https:') && o.host.toLowerCase() === hostHeader.toLowerCase();
  } catch {
    return false;
  }
}
