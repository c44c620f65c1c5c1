import { stub } from './support/register';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { SECTION } from '../src/common/constants';
import {
  DEFAULT_SERVER_SETTINGS,
  asCommand,
  readClientSettings,
  readServerSettings,
} from '../src/common/settings';

const section = () => vscode.workspace.getConfiguration(SECTION);

describe('settings', () => {
  beforeEach(() => stub.reset());

  it('sends the package.json defaults (the server model defaults but for the VS Code overrides)', () => {
    assert.deepEqual(readServerSettings(section()), DEFAULT_SERVER_SETTINGS);
  });

  it('nests dotted keys as the server model expects, in camelCase', () => {
    stub.settings = {
      'fastapiArchitect.logLevel': 'debug',
      'fastapiArchitect.diagnostics.enabled': false,
      'fastapiArchitect.diagnostics.debounceMs': 0,
      'fastapiArchitect.extract.serviceModule': '{singular}_service',
      'fastapiArchitect.completion.enabled': false,
      'fastapiArchitect.completion.definitions': true,
      'fastapiArchitect.analysis.maxFileBytes': 1000,
    };
    assert.deepEqual(readServerSettings(section()), {
      logLevel: 'debug',
      diagnostics: { enabled: false, debounceMs: 0, rules: {} },
      extract: { serviceModule: '{singular}_service' },
      completion: { enabled: false, definitions: true },
      analysis: { maxFileBytes: 1000 },
    });
  });

  it('leaves client-only keys out of the initialization options', () => {
    stub.settings = {
      'fastapiArchitect.interpreter': ['/opt/python'],
      'fastapiArchitect.server.command': ['fastapi-architect', 'serve'],
      'fastapiArchitect.trace.server': 'verbose',
    };
    const sent = readServerSettings(section()) as unknown as Record<string, unknown>;
    assert.deepEqual(Object.keys(sent).sort(), [
      'analysis',
      'completion',
      'diagnostics',
      'extract',
      'logLevel',
    ]);
  });

  it('passes a wrongly typed value through for the server to report', () => {
    stub.settings = { 'fastapiArchitect.diagnostics.debounceMs': 'fast' };
    assert.equal(readServerSettings(section()).diagnostics.debounceMs, 'fast');
  });

  it('reads the interpreter and server command as argument lists', () => {
    stub.settings = {
      'fastapiArchitect.interpreter': ['py', '-3.12'],
      'fastapiArchitect.server.command': ['fastapi-architect', 'serve', '--log-level', 'debug'],
      'fastapiArchitect.server.environment': 'interpreter',
    };
    assert.deepEqual(readClientSettings(section()), {
      interpreter: ['py', '-3.12'],
      serverCommand: ['fastapi-architect', 'serve', '--log-level', 'debug'],
      serverEnvironment: 'interpreter',
    });
  });

  it('defaults to no interpreter, no server command and the bundled environment', () => {
    assert.deepEqual(readClientSettings(section()), {
      interpreter: [],
      serverCommand: [],
      serverEnvironment: 'bundled',
    });
  });

  it('reads an unknown server environment as the bundled one', () => {
    stub.settings = { 'fastapiArchitect.server.environment': 'conda' };
    assert.equal(readClientSettings(section()).serverEnvironment, 'bundled');
  });

  it('accepts a single interpreter path written as a string', () => {
    assert.deepEqual(asCommand(' /usr/bin/python3 '), ['/usr/bin/python3']);
  });

  it('treats blank or malformed command settings as unset', () => {
    assert.deepEqual(asCommand(''), []);
    assert.deepEqual(asCommand(['', 'serve']), []);
    assert.deepEqual(asCommand([1, 2]), []);
    assert.deepEqual(asCommand({ path: 'python' }), []);
    assert.deepEqual(asCommand(null), []);
  });

  it('drops blank arguments after the program', () => {
    assert.deepEqual(asCommand(['python', ' ', '-X', 'dev']), ['python', '-X', 'dev']);
  });
});
