import { stub } from './support/register';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { ExecuteCommandRequest } from 'vscode-languageserver-protocol';
import { ServerNotRunningError } from '../src/common/errors';
import type { PreflightResult } from '../src/common/preflight';
import type { PythonExtensionEnvironments } from '../src/common/pythonExtension';
import { ServerManager, type ClientRequest, type ManagedClient } from '../src/common/server';
import { DEFAULT_SERVER_SETTINGS } from '../src/common/settings';
import { EventEmitter } from './support/vscode';
import { flush, outputChannel } from './support/fakes';

class FakeClient implements ManagedClient {
  running = false;
  stops = 0;
  readonly requests: { method: string; params: unknown }[] = [];
  constructor(
    readonly request: ClientRequest,
    private readonly failStart?: Error,
  ) {}
  async start(): Promise<void> {
    if (this.failStart) {
      throw this.failStart;
    }
    this.running = true;
  }
  async stop(): Promise<void> {
    this.stops += 1;
    this.running = false;
  }
  isRunning(): boolean {
    return this.running;
  }
  async sendRequest(type: { method: string }, params: unknown): Promise<never> {
    this.requests.push({ method: type.method, params });
    return { done: true } as never;
  }
}

interface Harness {
  manager: ServerManager;
  clients: FakeClient[];
  probed: string[][];
  output: ReturnType<typeof outputChannel>;
  interpreterChanged: EventEmitter<void>;
}

function harness(
  options: {
    preflight?: PreflightResult;
    python?: string[] | 'not installed';
    failStart?: Error;
  } = {},
): Harness {
  const clients: FakeClient[] = [];
  const probed: string[][] = [];
  const output = outputChannel();
  const interpreterChanged = new EventEmitter<void>();
  const python = options.python ?? ['/venv/bin/python'];
  const environments: PythonExtensionEnvironments | undefined =
    python === 'not installed'
      ? undefined
      : {
          activeInterpreter: async () => python,
          onDidChangeInterpreter: (listener) => interpreterChanged.event(listener),
        };
  const manager = new ServerManager({
    output,
    createClient: (request) => {
      const client = new FakeClient(request, options.failStart);
      clients.push(client);
      return client;
    },
    loadPythonEnvironments: async () => environments,
    preflight: async (interpreter) => {
      probed.push(interpreter);
      return options.preflight ?? { status: 'ok', version: '0.1.0', pythonVersion: '3.12.3' };
    },
    serverCwd: '/ext',
    restartDelayMs: 5,
  });
  return { manager, clients, probed, output, interpreterChanged };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('server manager', () => {
  beforeEach(() => stub.reset());

  it("starts the server with the Python extension's interpreter and the settings as initializationOptions", async () => {
    const { manager, clients, probed } = harness();
    assert.equal(await manager.start(), true);
    assert.deepEqual(probed, [['/venv/bin/python']]);
    assert.equal(clients.length, 1);
    const request = clients[0]!.request;
    assert.deepEqual(request.launch, {
      command: '/venv/bin/python',
      args: ['-m', 'fastapi_architect', 'serve'],
      runsModule: true,
    });
    assert.deepEqual(request.initializationOptions, DEFAULT_SERVER_SETTINGS);
    assert.equal(request.cwd, '/ext');
    assert.equal(manager.state, 'running');
  });

  it('sends changed settings at the next start', async () => {
    stub.settings = { 'fastapiArchitect.logLevel': 'debug', 'fastapiArchitect.diagnostics.debounceMs': 50 };
    const { manager, clients } = harness();
    await manager.start();
    assert.equal(clients[0]!.request.initializationOptions.logLevel, 'debug');
    assert.equal(clients[0]!.request.initializationOptions.diagnostics.debounceMs, 50);
  });

  it('uses the server.command override without probing an interpreter', async () => {
    stub.setWorkspaceFolders(['/work/shop']);
    stub.settings = { 'fastapiArchitect.server.command': ['.venv/bin/fastapi-architect', 'serve'] };
    const { manager, clients, probed } = harness();
    await manager.start();
    assert.deepEqual(probed, []);
    assert.equal(clients[0]!.request.launch.command, '/work/shop/.venv/bin/fastapi-architect');
    assert.deepEqual(clients[0]!.request.launch.args, ['serve']);
  });

  it('does not start a client when the package is missing, and explains how to install it', async () => {
    const { manager, clients } = harness({
      preflight: { status: 'package-missing', pythonVersion: '3.12.3' },
    });
    assert.equal(await manager.start(), false);
    assert.equal(clients.length, 0);
    assert.equal(manager.state, 'failed');
    const [error] = stub.messages;
    assert.match(error?.message ?? '', /not installed for \/venv\/bin\/python \(Python 3\.12\.3\)/);
    assert.match(error?.message ?? '', /\/venv\/bin\/python -m pip install fastapi-architect/);
    assert.deepEqual(error?.items, ['Install', 'Select Interpreter', 'Show Logs']);
  });

  it('installs the package and restarts when the user clicks Install', async () => {
    let missing = true;
    const clients: FakeClient[] = [];
    const manager = new ServerManager({
      output: outputChannel(),
      createClient: (request) => {
        const client = new FakeClient(request);
        clients.push(client);
        return client;
      },
      loadPythonEnvironments: async () => undefined,
      preflight: async () =>
        missing
          ? { status: 'package-missing', pythonVersion: '3.12.3' }
          : { status: 'ok', version: '0.1.0', pythonVersion: '3.12.3' },
      serverCwd: '/ext',
    });
    stub.settings = { 'fastapiArchitect.interpreter': ['/venv/bin/python'] };
    stub.answers.message.push('Install');
    stub.taskExitCode = 0;
    await manager.start();
    missing = false;
    for (let i = 0; i < 20 && clients.length === 0; i += 1) {
      await sleep(5);
    }
    const task = stub.tasks[0];
    assert.equal(task?.execution.process, '/venv/bin/python');
    assert.deepEqual(task?.execution.args, ['-m', 'pip', 'install', 'fastapi-architect']);
    assert.equal(clients.length, 1);
    assert.equal(manager.state, 'running');
  });

  it('reports a server that fails to start and stays usable for a restart', async () => {
    const { manager, clients } = harness({ failStart: new Error('spawn EACCES') });
    assert.equal(await manager.start(), false);
    assert.match(stub.shown('error')[0] ?? '', /did not start: spawn EACCES/);
    assert.equal(clients[0]!.stops, 1);
    assert.equal(manager.state, 'failed');
  });

  it('reports an unexpected start failure instead of rejecting', async () => {
    const manager = new ServerManager({
      output: outputChannel(),
      createClient: () => {
        throw new Error('bad options');
      },
      loadPythonEnvironments: async () => undefined,
      preflight: async () => ({ status: 'ok', version: '0.1.0', pythonVersion: '3.12.3' }),
      serverCwd: '/ext',
    });
    stub.settings = { 'fastapiArchitect.interpreter': ['/py'] };
    assert.equal(await manager.start(), false);
    assert.match(stub.shown('error')[0] ?? '', /could not be started: bad options/);
    assert.equal(manager.state, 'failed');
  });

  it('sends palette commands as workspace/executeCommand with the arguments list', async () => {
    const { manager, clients } = harness();
    await manager.start();
    const result = await manager.executeServerCommand('fastapi-architect.addResource', [{ name: 'order' }]);
    assert.deepEqual(result, { done: true });
    assert.deepEqual(clients[0]!.requests, [
      {
        method: ExecuteCommandRequest.method,
        params: { command: 'fastapi-architect.addResource', arguments: [{ name: 'order' }] },
      },
    ]);
  });

  it('waits for a start in progress before sending a command', async () => {
    const { manager, clients } = harness();
    void manager.start();
    await manager.executeServerCommand('fastapi-architect.migrateWorkspace', []);
    assert.equal(clients[0]!.requests.length, 1);
  });

  it('refuses commands while the server is not running', async () => {
    const { manager } = harness({ preflight: { status: 'interpreter-missing', detail: 'gone' } });
    await manager.start();
    await assert.rejects(
      manager.executeServerCommand('fastapi-architect.migrateWorkspace', []),
      ServerNotRunningError,
    );
  });

  it('restarts with the new interpreter when the interpreter setting changes', async () => {
    const { manager, clients } = harness();
    const subscription = manager.watchForRestarts();
    await manager.start();
    stub.changeSettings({ 'fastapiArchitect.interpreter': ['/opt/py312/bin/python'] });
    await sleep(40);
    assert.equal(clients.length, 2);
    assert.equal(clients[0]!.running, false);
    assert.equal(clients[1]!.request.launch.command, '/opt/py312/bin/python');
    subscription.dispose();
  });

  it('restarts when the workspace becomes trusted, so its interpreter setting counts', async () => {
    const { manager, clients } = harness();
    manager.watchForRestarts();
    await manager.start();
    stub.trustGranted.fire();
    await sleep(40);
    assert.equal(clients.length, 2);
  });

  it('does not restart for a setting the server applies live', async () => {
    const { manager, clients } = harness();
    manager.watchForRestarts();
    await manager.start();
    stub.changeSettings({
      'fastapiArchitect.diagnostics.enabled': false,
      'fastapiArchitect.logLevel': 'debug',
    });
    await sleep(30);
    assert.equal(clients.length, 1);
  });

  it('restarts when the Python extension selects another interpreter', async () => {
    const h = harness();
    await h.manager.start();
    h.interpreterChanged.fire();
    h.interpreterChanged.fire();
    await sleep(40);
    assert.equal(h.clients.length, 2, 'one restart for a burst of events');
  });

  it('ignores Python extension changes while the interpreter setting decides', async () => {
    const h = harness();
    await h.manager.start();
    assert.equal(h.interpreterChanged.listenerCount, 1);
    // The user pins an interpreter: from then on the Python extension's choice is irrelevant.
    stub.settings = { 'fastapiArchitect.interpreter': ['/opt/python'] };
    h.interpreterChanged.fire();
    await sleep(30);
    assert.equal(h.clients.length, 1);
  });

  it('runs one start at a time when restarts overlap', async () => {
    const { manager, clients } = harness();
    await Promise.all([manager.start(), manager.restart('a'), manager.restart('b'), manager.start()]);
    assert.equal(clients.filter((client) => client.running).length, 1);
    assert.equal(clients.length, 3);
  });

  it('tries one more start for a command when the server is down, e.g. after a manual install', async () => {
    let installed = false;
    const clients: FakeClient[] = [];
    const manager = new ServerManager({
      output: outputChannel(),
      createClient: (request) => {
        const client = new FakeClient(request);
        clients.push(client);
        return client;
      },
      loadPythonEnvironments: async () => undefined,
      preflight: async () =>
        installed
          ? { status: 'ok', version: '0.1.0', pythonVersion: '3.12.3' }
          : { status: 'package-missing', pythonVersion: '3.12.3' },
      serverCwd: '/ext',
    });
    assert.equal(await manager.start(), false);
    assert.equal(await manager.ensureRunning(), false);
    installed = true;
    assert.equal(await manager.ensureRunning(), true);
    assert.equal(await manager.ensureRunning(), true);
    assert.equal(clients.length, 1);
  });

  it('starts a new client when the running one has stopped by itself', async () => {
    const { manager, clients } = harness();
    await manager.start();
    clients[0]!.running = false;
    assert.equal(await manager.start(), true);
    assert.equal(clients.length, 2);
    assert.equal(clients[0]!.stops, 1);
  });

  it('stops the client on stop and on dispose', async () => {
    const { manager, clients } = harness();
    await manager.start();
    manager.dispose();
    await flush();
    await manager.stop();
    assert.equal(clients[0]!.running, false);
    assert.equal(manager.state, 'stopped');
  });

  it('logs where the interpreter came from', async () => {
    const { manager, output } = harness({ python: 'not installed' });
    stub.settings = { 'fastapiArchitect.interpreter': ['/opt/python'] };
    await manager.start();
    assert.ok(
      output.lines.some((line) =>
        line.includes('/opt/python (from the fastapiArchitect.interpreter setting)'),
      ),
    );
  });
});
