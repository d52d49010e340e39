import { builtinModules } from 'node:module';
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import i18next from 'eslint-plugin-i18next';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Import boundaries: the "What may import what" table of docs/ARCHITECTURE.md, checked on every lint.
 * eslint-plugin-boundaries resolves our relative `./x.ts` imports with its bundled Node resolver (the files exist under
 * those names), so no import resolver is needed; an import that does not resolve is left to TypeScript.
 * tests/unit/boundary-lint.test.ts lints bad imports against this config, so a pattern that stops matching fails there.
 *
 * The areas of the tree, most specific first: a file belongs to the first pattern it matches.
 */
const elements = [
  { type: 'shared', pattern: 'shared/**', mode: 'full' },
  { type: 'server-leaf', pattern: ['server/config.ts', 'server/version.ts'], mode: 'full' },
  {
    type: 'server-composition',
    pattern: [
      'server/main.ts',
      'server/app.ts',
      'server/research-worker-main.ts',
      'server/model-thread-main.ts',
      'server/agreement-report-thread.ts',
      'server/benchmark-import-thread.ts',
      'server/open-storage.ts',
      'server/cli/**',
    ],
    mode: 'full',
  },
  { type: 'models', pattern: 'server/models/**', mode: 'full' },
  { type: 'storage-sqlite', pattern: 'server/storage/sqlite/**', mode: 'full' },
  { type: 'storage-postgres', pattern: 'server/storage/postgres/**', mode: 'full' },
  { type: 'storage', pattern: 'server/storage/**', mode: 'full' },
  { type: 'services', pattern: 'server/services/**', mode: 'full' },
  { type: 'engine', pattern: 'server/engine/**', mode: 'full' },
  { type: 'generation', pattern: 'server/generation/**', mode: 'full' },
  { type: 'transport', pattern: ['server/http/**', 'server/realtime/**', 'server/plugins/**'], mode: 'full' },
  { type: 'client', pattern: 'client/**', mode: 'full' },
  { type: 'tests', pattern: 'tests/**', mode: 'full' },
  { type: 'bench', pattern: 'bench/**', mode: 'full' },
  { type: 'scripts', pattern: 'scripts/**', mode: 'full' },
];
const serverTypes = [
  'server-leaf',
  'server-composition',
  'models',
  'storage-sqlite',
  'storage-postgres',
  'storage',
  'services',
  'engine',
  'generation',
  'transport',
];
const aiSdk = ['ai', '@ai-sdk/*'];
const dbDrivers = ['better-sqlite3', 'pg'];
const transportLibraries = ['fastify', '@fastify/*', 'fastify-*', 'socket.io'];
const browserLibraries = [
  'react',
  'react-dom',
  'react/*',
  'react-dom/*',
  '@mui/*',
  '@emotion/*',
  'zustand',
  'socket.io-client',
  '@tanstack/*',
];

// The plugin fills in ${file.type} and ${dependency.…} itself.
const seeTable = ': see "What may import what" in docs/ARCHITECTURE.md';

const boundaryRules = {
  plugins: { boundaries },
  settings: {
    'boundaries/elements': elements,
    'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import'],
  },
  rules: {
    // Which area may import which (local files).
    'boundaries/element-types': [
      'error',
      {
        default: 'disallow',
        message: '${file.type} may not import ${dependency.type} (${dependency.source})' + seeTable,
        rules: [
          { from: ['shared'], allow: ['shared'] },
          // config.ts and version.ts are read everywhere on the server (config.ts parses origins with a service helper).
          { from: ['server-leaf'], allow: ['shared', 'server-leaf', 'services'] },
          // main.ts, app.ts and the CLI compose everything on the server side.
          { from: ['server-composition'], allow: ['shared', ...serverTypes] },
          // The lowest server layer: model providers know nothing of use cases, storage or transport.
          { from: ['models'], allow: ['shared', 'server-leaf', 'models'] },
          { from: ['storage'], allow: ['shared', 'storage'] },
          { from: ['storage-sqlite'], allow: ['shared', 'storage', 'storage-sqlite'] },
          { from: ['storage-postgres'], allow: ['shared', 'storage', 'storage-postgres'] },
          {
            from: ['services', 'engine', 'generation'],
            allow: ['shared', 'server-leaf', 'models', 'storage', 'services', 'engine', 'generation'],
          },
          {
            from: ['transport'],
            allow: ['shared', 'server-leaf', 'models', 'storage', 'services', 'engine', 'transport'],
          },
          { from: ['client'], allow: ['shared', 'client'] },
          { from: ['scripts'], allow: ['shared', 'scripts', ...serverTypes] },
          { from: ['tests', 'bench'], allow: ['*'] },
        ],
      },
    ],
    // Which packages and Node built-ins each area may import. When rules overlap, the last matching one decides.
    'boundaries/external': [
      'error',
      {
        default: 'allow',
        message: '${file.type} may not import ${dependency.source}' + seeTable,
        rules: [
          // shared/ runs in the browser and on the server alike: zod only.
          { from: ['shared'], disallow: ['*', '@*/*'] },
          { from: ['shared'], allow: ['zod'] },
          { from: serverTypes, disallow: browserLibraries },
          // Provider SDKs stay behind the ModelProvider interface.
          { from: [...serverTypes.filter((type) => type !== 'models'), 'client', 'scripts'], disallow: aiSdk },
          // Use cases and the engine run under the HTTP server, the socket server and the CLI alike.
          // Each database driver stays behind the Storage interface, in its own folder.
          { from: ['services', 'engine', 'generation', 'models'], disallow: [...transportLibraries, ...dbDrivers] },
          { from: ['storage'], disallow: [...transportLibraries, ...dbDrivers] },
          { from: ['storage-sqlite'], disallow: [...transportLibraries, 'pg'] },
          { from: ['storage-postgres'], disallow: [...transportLibraries, 'better-sqlite3'] },
          { from: ['client'], disallow: ['node:*', ...builtinModules, ...transportLibraries, ...dbDrivers] },
        ],
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': 'allow-with-description' }],
    },
  },
  boundaryRules,
  {
    files: ['server/**/*.ts'],
    rules: {
      // The server logs through Fastify's logger; the CLI writes through its CliIo.
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through server/config.ts.' },
      ],
    },
  },
  {
    files: ['server/config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['client/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // Participant pages read every text from the message catalog (client/src/i18n/README.md): a literal in JSX, or
    // in an attribute people read or hear, fails here. Model, benchmark and researcher text arrive as data.
    files: ['client/src/features/participant/**/*.tsx'],
    plugins: { i18next },
    rules: {
      'i18next/no-literal-string': [
        'error',
        {
          mode: 'jsx-only',
          'jsx-attributes': {
            include: ['label', 'aria-label', 'title', 'placeholder', 'alt', 'helperText', 'kicker', 'aria-valuetext'],
          },
        },
      ],
    },
  },
  {
    files: ['tests/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='only']", message: 'No .only in tests.' },
      ],
    },
  },
  // Last, so formatting rules never fight Prettier.
  prettier,
);
