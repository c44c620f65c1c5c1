import './support/register';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TransportKind } from 'vscode-languageclient/node';
import { buildClientOptions, buildServerOptions } from '../src/common/languageClient';
import { DEFAULT_SERVER_SETTINGS } from '../src/common/settings';
import { outputChannel } from './support/fakes';

describe('language client options', () => {
  it('selects Python files on disk and unsaved Python buffers', () => {
    const options = buildClientOptions(DEFAULT_SERVER_SETTINGS, outputChannel());
    assert.deepEqual(options.documentSelector, [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
    ]);
  });

  it('sends the settings as initializationOptions and syncs the fastapiArchitect section', () => {
    const options = buildClientOptions(DEFAULT_SERVER_SETTINGS, outputChannel());
    assert.deepEqual(options.initializationOptions, DEFAULT_SERVER_SETTINGS);
    assert.deepEqual(options.synchronize, { configurationSection: 'fastapiArchitect' });
  });

  it('runs the server over stdio with unbuffered Python output', () => {
    const executable = buildServerOptions(
      { command: '/py', args: ['-m', 'fastapi_architect', 'serve'], runsModule: true },
      '/ext',
    );
    assert.equal(executable.command, '/py');
    assert.deepEqual(executable.args, ['-m', 'fastapi_architect', 'serve']);
    assert.equal(executable.transport, TransportKind.stdio);
    assert.equal(executable.options?.cwd, '/ext');
    assert.equal(executable.options?.env?.PYTHONUNBUFFERED, '1');
  });
});
