import { stat, readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import { weightedList } from '../../../domain/weighted-list.js';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

export type ContentEncoding = 'br' | 'gzip' | 'identity';

/** A file ready to send: its bytes in the chosen encoding. */
export interface DashboardFile {
  readonly body: Buffer;
  readonly contentType: string;
  readonly encoding: ContentEncoding;
  /** Whether another client could be sent another encoding (so `Vary: Accept-Encoding`). */
  readonly negotiated: boolean;
  readonly etag: string;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};
/** Text compresses well; images and woff2 fonts are compressed already. */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.txt', '.svg']);
/** Below this a compressed body saves less than its headers cost. */
const MIN_COMPRESS_BYTES = 1_024;
/**
 * Cached variants (file × encoding). A build has a few dozen files; each new build adds its own
 * names, so past this the cache starts again rather than keep old builds' files forever.
 */
const MAX_CACHED = 512;

/**
 * The encoding to send for an `Accept-Encoding` header: brotli, then gzip, else none. A coding
 * with `q=0` is refused; a missing header means identity only (RFC 9110 allows anything, but a
 * client that says nothing may not decode).
 */
export function chooseEncoding(acceptEncoding: string | undefined): ContentEncoding {
  if (!acceptEncoding) return 'identity';
  const accepted = new Map<string, number>();
  for (const { value, q } of weightedList(acceptEncoding)) accepted.set(value, q);
  const wants = (coding: string): boolean =>
    (accepted.get(coding) ?? (accepted.has('*') ? accepted.get('*')! : 0)) > 0;
  if (wants('br')) return 'br';
  if (wants('gzip')) return 'gzip';
  return 'identity';
}

/** `name` below `dir`, or undefined when it tries to leave it or names a hidden file. */
export function fileWithin(dir: string, name: string): string | undefined {
  if (name === '' || name.includes('\0')) return undefined;
  if (name.split('/').some((segment) => segment === '' || segment.startsWith('.')))
    return undefined;
  const path = resolve(dir, name);
  const rel = relative(dir, path);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return undefined;
  return path;
}

interface Cached {
  readonly version: string;
  readonly file: Promise<DashboardFile>;
}

/**
 * The built dashboard's files, read from disk and compressed once per version of a file (its size
 * and modification time), then served from memory: the files are few and small, and compressing
 * at the best levels on every request would cost more than the transfer it saves. A rebuilt
 * dashboard is picked up by the next request (the version changes).
 */
export class DashboardFiles {
  private readonly cache = new Map<string, Cached>();
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  get indexFile(): string {
    return resolve(this.dir, 'index.html');
  }

  get assetsDir(): string {
    return resolve(this.dir, 'assets');
  }

  /** The file at `path`, encoded as the client accepts; undefined when there is no such file. */
  async read(path: string, acceptEncoding: string | undefined): Promise<DashboardFile | undefined> {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const ext = extname(path).toLowerCase();
    const compressible = COMPRESSIBLE.has(ext) && info.size >= MIN_COMPRESS_BYTES;
    const encoding = compressible ? chooseEncoding(acceptEncoding) : 'identity';
    const version = `${info.size}-${Math.floor(info.mtimeMs)}`;
    const key = `${encoding}:${path}`;
    const cached = this.cache.get(key);
    if (cached?.version === version) return cached.file;
    const file = this.load(path, ext, encoding, compressible, version);
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(key, { version, file });
    // A failed read is not kept: the next request tries again.
    file.catch(() => this.cache.delete(key));
    return file;
  }

  private async load(
    path: string,
    ext: string,
    encoding: ContentEncoding,
    negotiated: boolean,
    version: string,
  ): Promise<DashboardFile> {
    const raw = await readFile(path);
    const body =
      encoding === 'br'
        ? await brotli(raw, {
            params: {
              [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY,
              [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length,
            },
          })
        : encoding === 'gzip'
          ? await gzipped(raw, { level: zlib.Z_BEST_COMPRESSION })
          : raw;
    return {
      body,
      contentType: TYPES[ext] ?? 'application/octet-stream',
      encoding,
      negotiated,
      etag: `"${version}${encoding === 'identity' ? '' : `-${encoding}`}"`,
    };
  }
}
