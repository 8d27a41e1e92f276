#!/usr/bin/env node
// The npm registry reachable here answers 404 for native packages of other platforms (darwin, win32,
// arm …), so `npm install` writes a package-lock.json without them, and `npm ci` then refuses it as
// "Missing: @swc/core-darwin-arm64@ from lock file". This adds each missing optional dependency
// back as an entry marked with its platform, which npm ci accepts and skips on this one.
// Runs after every `npm install` (root postinstall); idempotent.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
const OSES = [
  'darwin',
  'win32',
  'linux',
  'android',
  'freebsd',
  'openharmony',
  'netbsd',
  'openbsd',
  'sunos',
  'aix',
];
const CPUS = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el'];

const added = [];
for (const [path, meta] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(meta.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ''}node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (packages[nested] || packages[hoisted]) continue;
    const entry = { version: range.replace(/^[\^~=]/, ''), optional: true };
    const os = OSES.find((o) => name.includes(o));
    const cpu = CPUS.find((c) => new RegExp(`[-_]${c}([-_]|$)`).test(name));
    if (os) entry.os = [os];
    if (cpu) entry.cpu = [cpu];
    if (name.includes('musl')) entry.libc = ['musl'];
    else if (name.includes('gnu')) entry.libc = ['glibc'];
    packages[hoisted] = entry;
    added.push(name);
  }
}

if (added.length > 0) {
  lock.packages = Object.fromEntries(
    Object.entries(packages).sort(([a], [b]) =>
      a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0,
    ),
  );
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(
    `fix-lockfile: added ${added.length} other-platform optional packages to package-lock.json`,
  );
}
