#!/usr/bin/env node
// Bundles the dashboard (web/src) with esbuild into dist/web: index.html and assets/ with
// content-hashed names, so the gateway can cache assets for a year and index.html never. Run by the
// root `npm run build` after `tsc -b` (type checking of web/ is `npm run typecheck`: esbuild only
// strips types). Prints the bytes of what a browser downloads.
import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

const web = import.meta.dirname;
const out = join(web, '..', 'dist', 'web');
const assets = join(out, 'assets');

rmSync(out, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

const result = await build({
  absWorkingDir: web,
  entryPoints: { app: 'src/main.tsx' },
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  tsconfig: 'tsconfig.json',
  outdir: assets,
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
});

const outputs = Object.entries(result.metafile.outputs).filter(([file]) => !file.endsWith('.map'));
const find = (ext) => {
  const found = outputs.find(([file]) => file.endsWith(ext));
  if (!found) throw new Error(`esbuild wrote no ${ext} file`);
  return `/assets/${basename(found[0])}`;
};

// No inline script or style: the page works under a strict Content-Security-Policy.
const html = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Clocktower</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${find('.css')}" />
    <script type="module" src="${find('.js')}"></script>
  </head>
  <body>
    <div id="app"></div>
    <noscript>Clocktower's dashboard needs JavaScript.</noscript>
  </body>
</html>
`;
writeFileSync(join(out, 'index.html'), html);

const bytes = outputs.reduce((sum, [, meta]) => sum + meta.bytes, 0) + Buffer.byteLength(html);
// On stderr: `npm run -s users -- key create > x.key` builds first, and its stdout is the key alone.
console.error(
  `dashboard: ${relative(process.cwd(), out)} (${(bytes / 1024).toFixed(1)} KiB: index.html, ${outputs
    .map(([file]) => basename(file))
    .join(', ')})`,
);
