import './support/register';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  PROBE_SCRIPT,
  checkServerInstalled,
  interpretProbe,
  runProcess,
  type ProcessRunner,
} from '../src/common/preflight';

const answering =
  (outcome: Awaited<ReturnType<ProcessRunner>>, seen: string[][] = []): ProcessRunner =>
  async (command, args) => {
    seen.push([command, ...args]);
    return outcome;
  };

describe('preflight: is the server installed in the interpreter?', () => {
  it('reports the versions when the package is importable', async () => {
    const seen: string[][] = [];
    const result = await checkServerInstalled(['py', '-3.12'], {
      run: answering({ exitCode: 0, stdout: '3.12.1\n0.1.0\n', stderr: '' }, seen),
    });
    assert.deepEqual(result, { status: 'ok', pythonVersion: '3.12.1', version: '0.1.0' });
    assert.deepEqual(seen, [['py', '-3.12', '-c', PROBE_SCRIPT]]);
  });

  it('says the package is missing when the probe exits 3', () => {
    assert.deepEqual(interpretProbe('python3', { exitCode: 3, stdout: '3.11.2\n', stderr: '' }), {
      status: 'package-missing',
      pythonVersion: '3.11.2',
    });
  });

  it('says the interpreter is missing when it cannot be spawned', () => {
    const result = interpretProbe('/nope/python', {
      spawnError: 'ENOENT',
      exitCode: null,
      stdout: '',
      stderr: '',
    });
    assert.deepEqual(result, { status: 'interpreter-missing', detail: '/nope/python was not found' });
  });

  it('passes on the last line of stderr when the interpreter fails', () => {
    const result = interpretProbe('python3', {
      exitCode: 1,
      stdout: '',
      stderr: 'Traceback (most recent call last):\nSyntaxError: invalid syntax\n',
    });
    assert.deepEqual(result, { status: 'failed', detail: 'python3 failed: SyntaxError: invalid syntax' });
  });

  it('reports a permission problem as a failure, not as a missing interpreter', () => {
    const result = interpretProbe('/tmp/python', {
      spawnError: 'EACCES',
      exitCode: null,
      stdout: '',
      stderr: '',
    });
    assert.equal(result.status, 'failed');
  });

  it('has nothing to run without an interpreter', async () => {
    assert.equal((await checkServerInstalled([])).status, 'interpreter-missing');
  });

  it('runs a real process and collects its output and exit code', async () => {
    const outcome = await runProcess(
      process.execPath,
      ['-e', 'console.log("hi"); console.error("e"); process.exit(4)'],
      {
        timeoutMs: 10_000,
      },
    );
    assert.deepEqual(outcome, { exitCode: 4, stdout: 'hi\n', stderr: 'e\n' });
  });

  it('reports ENOENT for a program that does not exist', async () => {
    const outcome = await runProcess('/definitely/not/python', [], { timeoutMs: 10_000 });
    assert.equal(outcome.spawnError, 'ENOENT');
  });

  it('stops a process that hangs', async () => {
    const outcome = await runProcess(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
      timeoutMs: 200,
    });
    assert.equal(outcome.exitCode, null);
    assert.match(outcome.stderr, /timed out after 200 ms/);
  });
});
