import { stub } from './support/register';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { environmentFolder } from '../src/common/bundled';
import type { PreflightResult, ProcessOutcome, ProcessRunner } from '../src/common/preflight';
import { ServerManager, type ClientRequest, type ManagedClient } from '../src/common/server';
import { BundledServer, SET_UP_ACTION } from '../src/common/setup';
import { flush, outputChannel, tempFolder } from './support/fakes';

class FakeClient implements ManagedClient {
  running = false;
  constructor(readonly request: ClientRequest) {}
  async start(): Promise<void> {
    this.running = true;
  }
  async stop(): Promise<void> {
    this.running = false;
  }
  isRunning(): boolean {
    return this.running;
  }
  async sendRequest(): Promise<never> {
    return null as never;
  }
}

interface World {
  /** What the chosen interpreter (the Python extension's) reports. */
  chosen: PreflightResult;
  /** Interpreters on PATH and what they report. */
  onPath: Record<string, PreflightResult>;
  uv?: string;
  /** How the install step ends (default: success). */
  install?: ProcessOutcome;
}

const CHOSEN = '/project/.venv/bin/python';
const VERSION = '0.2.0';

function harness(storage: string, world: World) {
  const clients: FakeClient[] = [];
  const commands: string[][] = [];
  const output = outputChannel();
  const run: ProcessRunner = async (command, args) => {
    commands.push([command, ...args]);
    if (args.includes('venv')) {
      const folder = args[args.length - 1] as string;
      mkdirSync(path.join(folder, 'bin'), { recursive: true });
      writeFileSync(path.join(folder, 'bin', 'python'), '');
      return { exitCode: 0, stdout: '', stderr: '' };
    }
    return world.install ?? { exitCode: 0, stdout: 'Successfully installed', stderr: '' };
  };
  const probe = async (interpreter: string[]): Promise<PreflightResult> => {
    const [python] = interpreter as [string];
    if (python === CHOSEN) {
      return world.chosen;
    }
    if (python.startsWith(storage)) {
      return existsSync(python)
        ? { status: 'ok', version: VERSION, pythonVersion: '3.12.1' }
        : { status: 'interpreter-missing', detail: `${python} was not found` };
    }
    return world.onPath[python] ?? { status: 'interpreter-missing', detail: 'not found' };
  };
  const bundled = new BundledServer({
    wheel: { path: `/ext/server/fastapi_architect-${VERSION}-py3-none-any.whl`, version: VERSION },
    storage,
    probe,
    run,
    findOnPath: async (name) =>
      name === 'uv' ? world.uv : Object.keys(world.onPath).find((found) => path.basename(found) === name),
    platform: 'linux',
    env: {},
  });
  const manager = new ServerManager({
    output,
    createClient: (request) => {
      const client = new FakeClient(request);
      clients.push(client);
      return client;
    },
    loadPythonEnvironments: async () => ({
      activeInterpreter: async () => [CHOSEN],
      onDidChangeInterpreter: () => ({ dispose: () => undefined }),
    }),
    preflight: (interpreter) => probe(interpreter),
    serverCwd: '/ext',
    restartDelayMs: 5,
    bundled,
  });
  return { manager, clients, commands, output };
}

const missingPackage: PreflightResult = { status: 'package-missing', pythonVersion: '3.12.1' };

/** Waits until `condition` holds, letting the message callbacks and the restart run. */
async function until(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !condition(); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.ok(condition(), 'condition never held');
}

describe('bundled server setup', () => {
  let storage: string;
  let cleanup: () => void;
  beforeEach(() => {
    stub.reset();
    ({ folder: storage, cleanup } = tempFolder());
  });
  afterEach(() => cleanup());

  const envPython = () => path.join(environmentFolder(storage, VERSION, '3.12.1'), 'bin', 'python');

  it('offers the setup when no interpreter has the server, and does nothing before the click', async () => {
    const { manager, clients, commands } = harness(storage, { chosen: missingPackage, onPath: {} });
    assert.equal(await manager.start(), false);
    await flush();
    assert.equal(clients.length, 0);
    assert.deepEqual(commands, []);
    const [offer] = stub.messages;
    assert.deepEqual(offer?.items, [SET_UP_ACTION]);
    assert.match(offer?.message ?? '', /private environment.*Python 3\.12\.1/);
  });

  it('sets up the private environment with the chosen Python on click, then starts the server from it', async () => {
    stub.answers.message.push(SET_UP_ACTION);
    const { manager, clients, commands } = harness(storage, { chosen: missingPackage, onPath: {} });
    await manager.start();
    await until(() => clients.length === 1);
    assert.deepEqual(commands[0], [CHOSEN, '-m', 'venv', path.dirname(path.dirname(envPython()))]);
    assert.equal(commands[1]?.[0], envPython());
    assert.equal(commands[1]?.at(-1), `/ext/server/fastapi_architect-${VERSION}-py3-none-any.whl`);
    assert.deepEqual(stub.progress, ['FastAPI Architect: setting up the language server']);
    assert.equal(clients[0]?.request.launch.command, envPython());
    assert.equal(manager.state, 'running');
  });

  it('reuses a ready environment without asking', async () => {
    stub.answers.message.push(SET_UP_ACTION);
    const first = harness(storage, { chosen: missingPackage, onPath: {} });
    await first.manager.start();
    await until(() => first.clients.length === 1);
    stub.reset();
    const second = harness(storage, { chosen: missingPackage, onPath: {} });
    assert.equal(await second.manager.start(), true);
    assert.deepEqual(stub.messages, []);
    assert.deepEqual(second.commands, []);
    assert.equal(second.clients[0]?.request.launch.command, envPython());
  });

  it('uses an interpreter that already has the same server version as is', async () => {
    const { manager, clients, commands } = harness(storage, {
      chosen: { status: 'ok', version: VERSION, pythonVersion: '3.12.1' },
      onPath: {},
    });
    assert.equal(await manager.start(), true);
    assert.deepEqual(commands, []);
    assert.equal(clients[0]?.request.launch.command, CHOSEN);
  });

  it('does not use an interpreter with another server version: it offers the bundled one', async () => {
    const { manager, clients } = harness(storage, {
      chosen: { status: 'ok', version: '0.1.0', pythonVersion: '3.12.1' },
      onPath: {},
    });
    assert.equal(await manager.start(), false);
    assert.equal(clients.length, 0);
    assert.deepEqual(stub.messages[0]?.items, [SET_UP_ACTION]);
  });

  it('repairs a broken environment without asking', async () => {
    const folder = environmentFolder(storage, VERSION, '3.12.1');
    mkdirSync(path.join(folder, 'lib'), { recursive: true });
    const { manager, clients, commands } = harness(storage, { chosen: missingPackage, onPath: {} });
    assert.equal(await manager.start(), true);
    assert.equal(commands.length, 2);
    assert.deepEqual(stub.progress, ['FastAPI Architect: repairing the language server']);
    assert.equal(clients[0]?.request.launch.command, envPython());
  });

  it("upgrades after an extension update without asking, and removes the old version's environment", async () => {
    const old = environmentFolder(storage, '0.1.0', '3.12.1');
    mkdirSync(old, { recursive: true });
    const { manager, clients } = harness(storage, { chosen: missingPackage, onPath: {} });
    assert.equal(await manager.start(), true);
    assert.deepEqual(stub.messages, []);
    assert.equal(clients[0]?.request.launch.command, envPython());
    assert.equal(existsSync(old), false);
  });

  it('builds the environment with a Python 3.10+ from PATH when the chosen one is older', async () => {
    stub.answers.message.push(SET_UP_ACTION);
    const { manager, clients, commands } = harness(storage, {
      chosen: { status: 'package-missing', pythonVersion: '3.9.18' },
      onPath: {
        '/usr/bin/python3.11': { status: 'package-missing', pythonVersion: '3.11.7' },
      },
    });
    await manager.start();
    await until(() => clients.length === 1);
    assert.equal(commands[0]?.[0], '/usr/bin/python3.11');
    assert.match(clients[0]?.request.launch.command ?? '', /fastapi-architect-0\.2\.0-py3\.11/);
  });

  it('explains that Python 3.10 or newer is needed when there is none', async () => {
    const { manager, clients } = harness(storage, {
      chosen: { status: 'package-missing', pythonVersion: '3.8.10' },
      onPath: {},
    });
    assert.equal(await manager.start(), false);
    assert.equal(clients.length, 0);
    assert.match(stub.messages[0]?.message ?? '', /needs Python 3\.10 or newer.*Python 3\.8\.10/);
    assert.ok(stub.messages[0]?.items.includes('Show Logs'));
  });

  it('without network: a clear message with the exact command, which Copy Command copies', async () => {
    stub.answers.message.push(SET_UP_ACTION, 'Copy Command');
    const { manager, clients, output } = harness(storage, {
      chosen: missingPackage,
      onPath: {},
      install: {
        exitCode: 1,
        stdout: '',
        stderr: 'ERROR: No matching distribution found for pygls<3,>=2.1',
      },
    });
    await manager.start();
    await until(() => stub.clipboard.length > 0);
    assert.equal(clients.length, 0);
    const failure = stub.messages.find((message) => message.level === 'error');
    assert.match(failure?.message ?? '', /could not be downloaded \(no network/);
    const folder = environmentFolder(storage, VERSION, '3.12.1');
    const manual = `${CHOSEN} -m venv ${folder} && ${folder}/bin/python -m pip install --disable-pip-version-check /ext/server/fastapi_architect-${VERSION}-py3-none-any.whl`;
    assert.ok(failure?.message.endsWith(manual));
    assert.equal(stub.clipboard, manual);
    assert.ok(output.lines.some((line) => line.startsWith('[error]') && line.includes(manual)));
  });

  it('uses uv when it is on PATH', async () => {
    stub.answers.message.push(SET_UP_ACTION);
    const { manager, clients, commands } = harness(storage, {
      chosen: missingPackage,
      onPath: {},
      uv: '/usr/local/bin/uv',
    });
    await manager.start();
    await until(() => clients.length === 1);
    assert.deepEqual(commands[0]?.slice(0, 3), ['/usr/local/bin/uv', 'venv', '--python']);
    assert.deepEqual(commands[1]?.slice(0, 3), ['/usr/local/bin/uv', 'pip', 'install']);
  });

  it('with a broken interpreter setting: a notification with Show Logs, and no setup', async () => {
    const { manager, clients, commands } = harness(storage, {
      chosen: { status: 'interpreter-missing', detail: `${CHOSEN} was not found` },
      onPath: {},
    });
    assert.equal(await manager.start(), false);
    assert.equal(clients.length, 0);
    assert.deepEqual(commands, []);
    assert.match(stub.messages[0]?.message ?? '', /was not found/);
    assert.ok(stub.messages[0]?.items.includes('Show Logs'));
  });

  it("with server.environment set to interpreter: the project's interpreter, installing the bundled wheel", async () => {
    stub.settings = { 'fastapiArchitect.server.environment': 'interpreter' };
    const { manager, clients } = harness(storage, { chosen: missingPackage, onPath: {} });
    assert.equal(await manager.start(), false);
    assert.equal(clients.length, 0);
    const [error] = stub.messages;
    assert.deepEqual(error?.items, ['Install', 'Select Interpreter', 'Show Logs']);
    assert.match(
      error?.message ?? '',
      /pip install \/ext\/server\/fastapi_architect-0\.2\.0-py3-none-any\.whl/,
    );
  });
});
