// One Jest run over every package (each package is a project), ESM throughout, TypeScript compiled
// by swc (type checking is tsc's job: `npm run typecheck`). Tiers by suffix: *.spec.ts pure,
// *.int.spec.ts real NATS/Slurm/sshd/SQLite, *.e2e.spec.ts several processes.
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = import.meta.dirname;

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const packages = ['libs', 'services', 'apps'].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((name) => existsSync(join(root, dir, name, 'package.json')))
    .map((name) => ({ dir, name })),
);

// Workspace packages resolve to their sources, so tests never need a build first.
const moduleNameMapper = {
  ...Object.fromEntries(
    packages
      .filter(({ dir, name }) => existsSync(join(root, dir, name, 'src', 'index.ts')))
      .flatMap(({ dir, name }) => [
        [`^@clocktower/${name}$`, `${root}/${dir}/${name}/src/index.ts`],
        // A package's further entries (package.json "exports"), e.g. @clocktower/event-store/eventstoredb.
        [`^@clocktower/${name}/([a-z-]+)$`, `${root}/${dir}/${name}/src/$1.ts`],
      ]),
  ),
  '^(\\.{1,2}/.*)\\.js$': '$1',
};

export default {
  projects: packages.map(({ dir, name }) => ({
    displayName: name,
    rootDir: join(root, dir, name),
    testEnvironment: 'node',
    extensionsToTreatAsEsm: ['.ts'],
    transform: { '^.+\\.ts$': swc },
    moduleNameMapper,
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    setupFiles: ['reflect-metadata'],
  })),
  testTimeout: 60_000,
  verbose: false,
};
