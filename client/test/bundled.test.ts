import './support/register';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  MARKER_FILE,
  STALE_LOCK_MS,
  environmentFolder,
  environmentPython,
  findBundledWheel,
  inspectEnvironment,
  isNetworkFailure,
  setUpEnvironment,
  setupCommands,
  supportsServer,
  uvEnvironment,
  wheelVersion,
  type SetupPlan,
} from '../src/common/bundled';
import type { PreflightResult, ProcessOutcome, ProcessRunner } from '../src/common/preflight';
import { tempFolder, writeFiles } from './support/fakes';

/** A process runner that plays venv and pip: it creates the interpreter file, or fails as told. */
function fakeInstaller(failures: Record<string, ProcessOutcome> = {}) {
  const calls: { command: string; args: string[]; env?: NodeJS.ProcessEnv }[] = [];
  const run: ProcessRunner = async (command, args, options) => {
    calls.push({ command, args, env: options.env });
    const step = args.includes('venv') ? 'venv' : 'install';
    const failure = failures[step];
    if (failure) {
      return failure;
    }
    if (step === 'venv') {
      const folder = args[args.length - 1] as string;
      mkdirSync(path.join(folder, 'bin'), { recursive: true });
      writeFileSync(path.join(folder, 'bin', 'python'), '');
    }
    return { exitCode: 0, stdout: '', stderr: '' };
  };
  return { calls, run };
}

const wheel = { path: '/ext/server/fastapi_architect-0.2.0-py3-none-any.whl', version: '0.2.0' };

describe('bundled wheel', () => {
  it('reads the version from the wheel file name', () => {
    assert.equal(wheelVersion('fastapi_architect-0.2.0-py3-none-any.whl'), '0.2.0');
    assert.equal(wheelVersion('fastapi_architect-0.2.0.dev3+g1a2b-py3-none-any.whl'), '0.2.0.dev3+g1a2b');
    assert.equal(wheelVersion('other-0.2.0-py3-none-any.whl'), undefined);
    assert.equal(wheelVersion('fastapi_architect-0.2.0.tar.gz'), undefined);
  });

  it("finds the wheel in the extension's server folder, and nothing without one", () => {
    const { folder, cleanup } = tempFolder();
    try {
      assert.equal(findBundledWheel(folder), undefined);
      writeFiles(folder, {
        'server/fastapi_architect-0.2.0-py3-none-any.whl': 'zip',
        'server/notes.txt': '',
      });
      assert.deepEqual(findBundledWheel(folder), {
        path: path.join(folder, 'server', 'fastapi_architect-0.2.0-py3-none-any.whl'),
        version: '0.2.0',
      });
    } finally {
      cleanup();
    }
  });

  it('accepts Python 3.10 and newer only', () => {
    assert.ok(supportsServer('3.10.0'));
    assert.ok(supportsServer('3.13.1'));
    assert.ok(supportsServer('4.0'));
    assert.equal(supportsServer('3.9.18'), false);
    assert.equal(supportsServer('2.7.18'), false);
    assert.equal(supportsServer('unknown'), false);
  });

  it('keys the environment by server version and Python minor version', () => {
    assert.equal(
      environmentFolder('/storage', '0.2.0', '3.12.4'),
      path.join('/storage', 'environments', 'fastapi-architect-0.2.0-py3.12'),
    );
    assert.equal(environmentFolder('/s', '0.2.0', '3.12.9'), environmentFolder('/s', '0.2.0', '3.12.1'));
    assert.notEqual(environmentFolder('/s', '0.2.0', '3.11.9'), environmentFolder('/s', '0.2.0', '3.12.1'));
    assert.equal(environmentPython('C:\\env', 'win32'), path.join('C:\\env', 'Scripts', 'python.exe'));
  });
});

describe('setup commands', () => {
  const plan: SetupPlan = { basePython: ['/usr/bin/python3'], folder: '/s/env', wheel, platform: 'linux' };

  it('creates the environment with venv and installs the wheel with its pip', () => {
    assert.deepEqual(setupCommands(plan), [
      ['/usr/bin/python3', '-m', 'venv', '/s/env'],
      ['/s/env/bin/python', '-m', 'pip', 'install', '--disable-pip-version-check', wheel.path],
    ]);
  });

  it('uses uv for both steps when it is on PATH', () => {
    assert.deepEqual(setupCommands({ ...plan, uv: '/usr/bin/uv' }), [
      ['/usr/bin/uv', 'venv', '--python', '/usr/bin/python3', '/s/env'],
      ['/usr/bin/uv', 'pip', 'install', '--python', '/s/env/bin/python', wheel.path],
    ]);
  });

  it("hands pip's index settings to uv unless uv has its own", () => {
    const env = uvEnvironment({
      PIP_INDEX_URL: 'https://mirror/simple',
      PIP_EXTRA_INDEX_URL: 'https://extra/simple',
      UV_EXTRA_INDEX_URL: 'https://mine/simple',
      HTTPS_PROXY: 'http://proxy:3128',
    });
    assert.equal(env.UV_INDEX_URL, 'https://mirror/simple');
    assert.equal(env.UV_EXTRA_INDEX_URL, 'https://mine/simple');
    assert.equal(env.HTTPS_PROXY, 'http://proxy:3128');
  });

  it('tells a failed download from other install failures', () => {
    assert.ok(isNetworkFailure('ERROR: No matching distribution found for pygls<3,>=2.1'));
    assert.ok(
      isNetworkFailure(
        'Failed to establish a new connection: [Errno -3] Temporary failure in name resolution',
      ),
    );
    assert.ok(isNetworkFailure('error: Failed to fetch: `https://pypi.org/simple/pygls/`'));
    assert.equal(
      isNetworkFailure('ERROR: fastapi_architect-0.2.0.whl is not a supported wheel on this platform.'),
      false,
    );
  });
});

describe('private environment', () => {
  let storage: string;
  let cleanup: () => void;
  const ok = async (): Promise<PreflightResult> => ({
    status: 'ok',
    version: '0.2.0',
    pythonVersion: '3.12.1',
  });

  beforeEach(() => ({ folder: storage, cleanup } = tempFolder()));
  afterEach(() => cleanup());

  const planIn = (version = '0.2.0'): SetupPlan => ({
    basePython: ['/usr/bin/python3'],
    folder: environmentFolder(storage, version, '3.12.1'),
    wheel: { ...wheel, version },
    platform: 'linux',
  });

  it('sets up the environment and marks it ready', async () => {
    const installer = fakeInstaller();
    const reports: string[] = [];
    const plan = planIn();
    const result = await setUpEnvironment(plan, {
      run: installer.run,
      report: (message) => reports.push(message),
    });
    assert.deepEqual(result, { status: 'ok', python: path.join(plan.folder, 'bin', 'python') });
    assert.deepEqual(
      installer.calls.map((call) => call.args.slice(0, 2)),
      [
        ['-m', 'venv'],
        ['-m', 'pip'],
      ],
    );
    assert.deepEqual(reports, ['Creating a virtual environment', 'Installing fastapi-architect 0.2.0']);
    assert.equal(
      JSON.parse(readFileSync(path.join(plan.folder, MARKER_FILE), 'utf8')).serverVersion,
      '0.2.0',
    );
    assert.equal(await inspectEnvironment(plan.folder, '0.2.0', ok, 'linux'), 'ready');
  });

  it('reports a missing environment as missing', async () => {
    assert.equal(await inspectEnvironment(planIn().folder, '0.2.0', ok, 'linux'), 'missing');
  });

  it('reports a folder without the marker, or whose interpreter fails, as broken', async () => {
    const plan = planIn();
    mkdirSync(plan.folder, { recursive: true });
    assert.equal(await inspectEnvironment(plan.folder, '0.2.0', ok, 'linux'), 'broken');
    await setUpEnvironment(plan, { run: fakeInstaller().run });
    const gone = async (): Promise<PreflightResult> => ({ status: 'interpreter-missing', detail: 'gone' });
    assert.equal(await inspectEnvironment(plan.folder, '0.2.0', gone, 'linux'), 'broken');
    const older = async (): Promise<PreflightResult> => ({
      status: 'ok',
      version: '0.1.0',
      pythonVersion: '3.12.1',
    });
    assert.equal(await inspectEnvironment(plan.folder, '0.2.0', older, 'linux'), 'broken');
  });

  it('repairs a broken environment by building it again from scratch', async () => {
    const plan = planIn();
    writeFiles(plan.folder, { 'lib/leftover.txt': 'half an install' });
    const result = await setUpEnvironment(plan, { run: fakeInstaller().run });
    assert.equal(result.status, 'ok');
    assert.equal(existsSync(path.join(plan.folder, 'lib', 'leftover.txt')), false);
  });

  it("removes the previous server version's environment once the new one works", async () => {
    const old = planIn('0.1.0');
    await setUpEnvironment(old, { run: fakeInstaller().run });
    const sameVersionOtherPython = environmentFolder(storage, '0.2.0', '3.11.2');
    mkdirSync(sameVersionOtherPython, { recursive: true });
    const result = await setUpEnvironment(planIn('0.2.0'), { run: fakeInstaller().run });
    assert.equal(result.status, 'ok');
    assert.equal(existsSync(old.folder), false);
    assert.equal(existsSync(sameVersionOtherPython), true);
  });

  it('without network: says so, leaves no half environment, and gives the exact manual command', async () => {
    const installer = fakeInstaller({
      install: {
        exitCode: 1,
        stdout: '',
        stderr:
          "WARNING: Retrying after connection broken by 'NewConnectionError'\n" +
          'ERROR: Could not find a version that satisfies the requirement pygls<3,>=2.1\n' +
          'ERROR: No matching distribution found for pygls<3,>=2.1\n',
      },
    });
    const plan = planIn();
    const result = await setUpEnvironment(plan, { run: installer.run });
    assert.ok(result.status === 'offline');
    assert.match(result.detail, /pip failed|python failed/);
    assert.match(result.detail, /ERROR: Could not find a version/);
    assert.equal(
      result.manualCommand,
      `/usr/bin/python3 -m venv ${plan.folder} && ${plan.folder}/bin/python -m pip install --disable-pip-version-check ${wheel.path}`,
    );
    assert.equal(existsSync(plan.folder), false);
  });

  it('reports a Python that cannot create environments as a failure, not as offline', async () => {
    const installer = fakeInstaller({
      venv: {
        exitCode: 1,
        stdout: '',
        stderr: 'Error: ensurepip is not available. apt install python3-venv',
      },
    });
    const result = await setUpEnvironment(planIn(), { run: installer.run });
    assert.ok(result.status === 'failed');
    assert.match(result.detail, /python3 failed \(exit code 1\): Error: ensurepip is not available/);
    assert.equal(installer.calls.length, 1);
  });

  it("waits for another window's setup of the same environment and uses it", async () => {
    const plan = planIn();
    mkdirSync(`${plan.folder}.lock`, { recursive: true });
    const installer = fakeInstaller();
    const pending = setUpEnvironment(plan, { run: installer.run, lockPollMs: 5 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    // The other window finishes: its environment and marker are there, then its lock goes.
    mkdirSync(plan.folder, { recursive: true });
    writeFileSync(path.join(plan.folder, MARKER_FILE), JSON.stringify({ serverVersion: '0.2.0' }));
    rmSync(`${plan.folder}.lock`, { recursive: true, force: true });
    assert.deepEqual(await pending, { status: 'ok', python: path.join(plan.folder, 'bin', 'python') });
    assert.deepEqual(installer.calls, []);
    assert.equal(existsSync(`${plan.folder}.lock`), false);
  });

  it('takes over a setup lock left behind by a crashed window', async () => {
    const plan = planIn();
    const lock = `${plan.folder}.lock`;
    mkdirSync(lock, { recursive: true });
    const old = new Date(Date.now() - STALE_LOCK_MS - 60_000);
    utimesSync(lock, old, old);
    const installer = fakeInstaller();
    const result = await setUpEnvironment(plan, { run: installer.run, lockPollMs: 5 });
    assert.equal(result.status, 'ok');
    assert.equal(installer.calls.length, 2);
    assert.equal(existsSync(lock), false);
  });

  it('runs uv with the index settings of pip', async () => {
    const installer = fakeInstaller();
    await setUpEnvironment(
      { ...planIn(), uv: '/usr/bin/uv' },
      { run: installer.run, env: { PIP_INDEX_URL: 'https://mirror/simple' } },
    );
    assert.equal(installer.calls[1]?.command, '/usr/bin/uv');
    assert.equal(installer.calls[1]?.env?.UV_INDEX_URL, 'https://mirror/simple');
  });
});
