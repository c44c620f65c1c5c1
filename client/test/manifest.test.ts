/** package.json, the bundle and the packaged file list agree with the code and the server. */
import './support/register';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { PaletteCommand, ServerCommand } from '../src/common/constants';
import { paletteHandlers } from '../src/common/palette';
import { TASK_TYPE } from '../src/common/problems';
import { CLIENT_SETTING_KEYS, DEFAULT_SERVER_SETTINGS, SERVER_SETTING_KEYS } from '../src/common/settings';
import { RecordingServer, outputChannel } from './support/fakes';

const clientDir = path.resolve(__dirname, '..', '..');
const read = (relative: string): string => readFileSync(path.join(clientDir, relative), 'utf8');
const manifest = JSON.parse(read('package.json'));
const properties: Record<string, Record<string, unknown>> = manifest.contributes.configuration.properties;

describe('package.json', () => {
  it('contributes exactly the palette commands that have handlers', () => {
    const contributed = manifest.contributes.commands
      .map((command: { command: string }) => command.command)
      .sort();
    const handled = Object.keys(
      paletteHandlers({ server: new RecordingServer(), output: outputChannel() }),
    ).sort();
    assert.deepEqual(contributed, handled);
    assert.deepEqual(contributed, Object.values(PaletteCommand).sort());
  });

  it('gives every command a title in the FastAPI Architect category', () => {
    for (const command of manifest.contributes.commands) {
      assert.ok(command.title, command.command);
      assert.equal(command.category, 'FastAPI Architect');
    }
  });

  it('uses palette ids that differ from the server command ids', () => {
    const serverIds = new Set<string>(Object.values(ServerCommand));
    for (const id of Object.values(PaletteCommand)) {
      assert.equal(serverIds.has(id), false, id);
    }
  });

  it('activates on Python files and on every command', () => {
    const expected = ['onLanguage:python', ...Object.values(PaletteCommand).map((id) => `onCommand:${id}`)];
    assert.deepEqual([...manifest.activationEvents].sort(), expected.sort());
  });

  it('contributes exactly the server settings plus the client-only keys', () => {
    const expected = [...SERVER_SETTING_KEYS, ...CLIENT_SETTING_KEYS].map((key) => `fastapiArchitect.${key}`);
    assert.deepEqual(Object.keys(properties).sort(), expected.sort());
  });

  it('declares the server defaults and bounds', () => {
    const flat: Record<string, unknown> = {
      logLevel: DEFAULT_SERVER_SETTINGS.logLevel,
      'diagnostics.enabled': DEFAULT_SERVER_SETTINGS.diagnostics.enabled,
      'diagnostics.debounceMs': DEFAULT_SERVER_SETTINGS.diagnostics.debounceMs,
      'diagnostics.rules': DEFAULT_SERVER_SETTINGS.diagnostics.rules,
      'extract.serviceModule': DEFAULT_SERVER_SETTINGS.extract.serviceModule,
      'completion.enabled': DEFAULT_SERVER_SETTINGS.completion.enabled,
      'completion.definitions': DEFAULT_SERVER_SETTINGS.completion.definitions,
      'analysis.maxFileBytes': DEFAULT_SERVER_SETTINGS.analysis.maxFileBytes,
    };
    for (const [key, value] of Object.entries(flat)) {
      assert.deepEqual(properties[`fastapiArchitect.${key}`]?.default, value, key);
    }
    assert.deepEqual(flat, {
      logLevel: 'info',
      'diagnostics.enabled': true,
      'diagnostics.debounceMs': 250,
      'diagnostics.rules': {},
      'extract.serviceModule': 'auto',
      'completion.enabled': true,
      'completion.definitions': false,
      'analysis.maxFileBytes': 5_000_000,
    });
    assert.deepEqual(properties['fastapiArchitect.logLevel']?.enum, ['error', 'warning', 'info', 'debug']);
    assert.equal(properties['fastapiArchitect.diagnostics.debounceMs']?.minimum, 0);
    assert.equal(properties['fastapiArchitect.diagnostics.debounceMs']?.maximum, 10_000);
    assert.equal(properties['fastapiArchitect.analysis.maxFileBytes']?.minimum, 1000);
    assert.deepEqual(properties['fastapiArchitect.trace.server']?.enum, ['off', 'messages', 'verbose']);
    assert.deepEqual(properties['fastapiArchitect.interpreter']?.default, []);
    assert.deepEqual(properties['fastapiArchitect.server.command']?.default, []);
  });

  it('ignores workspace-chosen programs in untrusted workspaces', () => {
    const untrusted = manifest.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    assert.deepEqual(untrusted.restrictedConfigurations.sort(), [
      'fastapiArchitect.interpreter',
      'fastapiArchitect.server.command',
    ]);
    assert.equal(manifest.capabilities.virtualWorkspaces.supported, false);
  });

  it('declares the install task type the extension runs', () => {
    assert.deepEqual(
      manifest.contributes.taskDefinitions.map((definition: { type: string }) => definition.type),
      [TASK_TYPE],
    );
  });

  it('supports VS Code 1.85 with matching API types and language client', () => {
    assert.equal(manifest.engines.vscode, '^1.85.0');
    assert.equal(manifest.devDependencies['@types/vscode'], '1.85.0');
    const languageClient = JSON.parse(read('node_modules/vscode-languageclient/package.json'));
    const [, major, minor] = /(\d+)\.(\d+)/.exec(languageClient.engines.vscode) ?? [];
    assert.equal(major, '1');
    assert.ok(Number(minor) <= 85, `vscode-languageclient needs ${languageClient.engines.vscode}`);
  });

  it('pins the protocol package to the version vscode-languageclient bundles, so it is bundled once', () => {
    const languageClient = JSON.parse(read('node_modules/vscode-languageclient/package.json'));
    assert.equal(
      manifest.dependencies['vscode-languageserver-protocol'],
      languageClient.dependencies['vscode-languageserver-protocol'],
    );
  });
});

describe('snippets', () => {
  const source = path.join(clientDir, '..', 'snippets');

  it('contributes the copy of the repository snippets for Python', () => {
    assert.deepEqual(manifest.contributes.snippets, [
      { language: 'python', path: './snippets/fastapi-depends.code-snippets' },
    ]);
  });

  it('contributes every snippet file of the single source', () => {
    const sources = readdirSync(source)
      .filter((name) => name.endsWith('.code-snippets'))
      .sort();
    const contributed = manifest.contributes.snippets
      .map((entry: { path: string }) => path.basename(entry.path))
      .sort();
    assert.deepEqual(contributed, sources);
  });

  it('ships a copy byte-identical to ../snippets', () => {
    for (const entry of manifest.contributes.snippets) {
      const name = path.basename(entry.path);
      assert.equal(read(entry.path), readFileSync(path.join(source, name), 'utf8'), name);
    }
  });

  it('keeps the copy out of git', () => {
    assert.ok(read('.gitignore').split('\n').includes('snippets/'));
  });
});

describe('bundle', () => {
  it('is where package.json main points, and exports activate and deactivate', () => {
    assert.equal(manifest.main, './dist/extension.js');
    const bundle = require(path.join(clientDir, manifest.main));
    assert.equal(typeof bundle.activate, 'function');
    assert.equal(typeof bundle.deactivate, 'function');
  });

  it('requires nothing at run time but vscode and Node built-ins', () => {
    const code = read(manifest.main);
    const required = new Set(
      [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((match) => match[1] as string),
    );
    const allowed = new Set(['vscode', ...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
    const unexpected = [...required].filter((name) => !allowed.has(name));
    assert.deepEqual(unexpected, []);
    assert.ok(required.has('vscode'));
  });
});

describe('marketplace metadata', () => {
  it('has a square PNG icon of at least 128 pixels', () => {
    const png = readFileSync(path.join(clientDir, manifest.icon));
    assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
    const width = png.readUInt32BE(16);
    assert.equal(png.readUInt32BE(20), width);
    assert.ok(width >= 128, `icon is ${width} px`);
  });

  it('names the repository, licence, categories and keywords the marketplaces show', () => {
    assert.match(manifest.repository.url, /^https:\/\//);
    assert.equal(manifest.license, 'MIT');
    const known = ['Programming Languages', 'Linters', 'Snippets', 'Formatters', 'Other'];
    assert.ok(manifest.categories.every((category: string) => known.includes(category)));
    assert.ok(manifest.keywords.length >= 3 && manifest.keywords.length <= 30);
    assert.match(read('CHANGELOG.md'), new RegExp(`^## ${manifest.version.replace(/\./g, '\\.')}$`, 'm'));
  });

  it('has a walkthrough whose steps link to contributed commands and packaged pages', () => {
    const commands = new Set(
      manifest.contributes.commands.map((command: { command: string }) => command.command),
    );
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.ok(walkthrough.steps.length >= 4);
    for (const step of walkthrough.steps) {
      assert.ok(existsSync(path.join(clientDir, step.media.markdown)), step.media.markdown);
      for (const [, command] of step.description.matchAll(/\(command:([\w.]+)\)/g)) {
        assert.ok(commands.has(command), `${step.id} links to ${command}`);
      }
      for (const event of step.completionEvents ?? []) {
        assert.ok(commands.has(event.replace(/^onCommand:/, '')), `${step.id} completes on ${event}`);
      }
    }
  });

  it('runs the bundled server by default, with the interpreter as the alternative', () => {
    const setting = properties['fastapiArchitect.server.environment'];
    assert.equal(setting?.default, 'bundled');
    assert.deepEqual(setting?.enum, ['bundled', 'interpreter']);
  });
});

describe('packaged files', () => {
  it('lists only the manifest, docs, icon, bundle, snippets and the server wheel (vsce ls)', () => {
    const listing = execFileSync(
      path.join(clientDir, 'node_modules', '.bin', 'vsce'),
      ['ls', '--no-dependencies'],
      {
        cwd: clientDir,
        encoding: 'utf8',
      },
    );
    const files = listing
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .sort();
    // The wheel is there once `make wheel` (part of `make vsix`) has built it.
    const wheels = files.filter((file) => file.startsWith('server/'));
    assert.ok(wheels.length <= 1, JSON.stringify(wheels));
    for (const wheel of wheels) {
      assert.match(wheel, /^server\/fastapi_architect-[^/]+-py3-none-any\.whl$/);
    }
    assert.deepEqual(
      files.filter((file) => !wheels.includes(file)),
      [
        'CHANGELOG.md',
        'LICENSE',
        'README.md',
        'dist/extension.js',
        'images/icon.png',
        'package.json',
        'snippets/fastapi-depends.code-snippets',
        'walkthrough/create-project.md',
        'walkthrough/extract.md',
        'walkthrough/migrate.md',
        'walkthrough/session.md',
      ],
    );
  });
});
