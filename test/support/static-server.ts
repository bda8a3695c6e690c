import { listenOnLoopback } from './loopback.js';
import { readFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

/*
 * A tiny loopback HTTP server for browser tests. Besides files from `dir` it serves:
 *   /hang...          never answers (the request stays open until the server closes)
 *   /status/<code>    answers with that status and a short HTML body
 * Responses are not cacheable so each scrape loads the page afresh.
 */

export interface StaticServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'text/html; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

export interface StaticServerOptions {
  /** Called with each request's path before it is answered (lets a test act at that moment). */
  onRequest?: (path: string) => void;
}

export async function startStaticServer(dir: string, options: StaticServerOptions = {}): Promise<StaticServer> {
  const root = normalize(dir + sep);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    options.onRequest?.(path);
    if (path === '/hang' || path.startsWith('/hang/')) return; // deliberately never answered
    const status = /^\/status\/(\d{3})$/.exec(path);
    if (status) {
      const code = Number(status[1]);
      send(res, code, `<!doctype html><title>${code}</title><h1>Error ${code}</h1>`);
      return;
    }
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root)) {
      send(res, 403, 'forbidden', 'text/plain');
      return;
    }
    readFile(file).then(
      (body) => send(res, 200, body, TYPES[extname(file)] ?? 'application/octet-stream'),
      () => send(res, 404, 'not found', 'text/plain'),
    );
  });
  const { port, close } = await listenOnLoopback(server);
  return { url: `http://127.0.0.1:${port}`, close };
}
