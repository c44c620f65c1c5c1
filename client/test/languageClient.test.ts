import './support/register';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TransportKind } from 'vscode-languageclient/node';
import {
  FastApiArchitectClient,
  buildClientOptions,
  buildServerOptions,
  isCleanExitMessage,
} from '../src/common/languageClient';
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

describe('language client log', () => {
  /** The client's own logging, on a client that is not connected (its constructor needs a real VS Code). */
  function loggingClient(output: ReturnType<typeof outputChannel>): FastApiArchitectClient {
    const client = Object.create(FastApiArchitectClient.prototype) as FastApiArchitectClient;
    Object.assign(client, { _outputChannel: output, _clientOptions: { revealOutputChannelOn: 4 } });
    return client;
  }

  it('recognises only the exit with code 0 as clean', () => {
    assert.ok(isCleanExitMessage('Server process exited with code 0.'));
    assert.equal(isCleanExitMessage('Server process exited with code 1.'), false);
    assert.equal(isCleanExitMessage('Server process exited with signal SIGTERM.'), false);
  });

  it('logs a clean server exit as information, not as an error', () => {
    const output = outputChannel();
    loggingClient(output).error('Server process exited with code 0.', undefined, false);
    assert.equal(output.lines.length, 1);
    assert.match(output.lines[0] as string, /\[Info  - .*\] Server process exited with code 0\./);
  });

  it('still logs a failed server exit as an error', () => {
    const output = outputChannel();
    loggingClient(output).error('Server process exited with code 1.', undefined, false);
    assert.match(output.lines[0] as string, /\[Error - .*\] Server process exited with code 1\./);
  });
});
