/** A small static server for the examples: no dependencies, no directory listing, no traversal. */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Serves `root`, plus the local emoji data under /node_modules/emoji-picker-element-data/. */
export function startStaticServer({ root, port = 8000, host = '127.0.0.1', handle }) {
  const roots = [
    ['/node_modules/emoji-picker-element-data/', resolve('node_modules/emoji-picker-element-data')],
    ['/', resolve(root)],
  ];
  const server = createServer(async (req, res) => {
    if (handle && (await handle(req, res))) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const pathname = decodeURIComponent(url.pathname);
    const [prefix, base] = roots.find(([p]) => pathname.startsWith(p));
    let file = normalize(join(base, pathname.slice(prefix.length)));
    if (file !== base && !file.startsWith(base + sep)) return send(res, 403, 'Forbidden');
    let stat;
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      stat = statSync(file);
    } catch {
      return send(res, 404, 'Not found');
    }
    const etag = `"${stat.size.toString(36)}-${stat.mtimeMs.toString(36)}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag });
      return res.end();
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      etag,
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    const listen = (p, triesLeft) => {
      server.once('error', (error) => {
        if (error.code === 'EADDRINUSE' && triesLeft > 0) listen(p + 1, triesLeft - 1);
        else reject(error);
      });
      server.listen(p, host, () =>
        resolvePromise({
          server,
          url: `http://${host === '127.0.0.1' ? 'localhost' : host}:${server.address().port}/`,
        }),
      );
    };
    listen(port, 10);
  });
}

function send(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}
