import './support/register';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildServerLaunch, describeLaunch } from '../src/common/serverCommand';

describe('server command', () => {
  it('runs the package as a module of the interpreter', () => {
    assert.deepEqual(buildServerLaunch([], ['/venv/bin/python']), {
      command: '/venv/bin/python',
      args: ['-m', 'fastapi_architect', 'serve'],
      runsModule: true,
    });
  });

  it("keeps the interpreter's own arguments before -m", () => {
    assert.deepEqual(buildServerLaunch([], ['py', '-3.12']).args, [
      '-3.12',
      '-m',
      'fastapi_architect',
      'serve',
    ]);
  });

  it('uses the server.command override as is', () => {
    assert.deepEqual(
      buildServerLaunch(['fastapi-architect', 'serve', '--log-file', '/tmp/fa.log'], ['python3']),
      {
        command: 'fastapi-architect',
        args: ['serve', '--log-file', '/tmp/fa.log'],
        runsModule: false,
      },
    );
  });

  it('refuses to build a launch without an interpreter', () => {
    assert.throws(() => buildServerLaunch([], []), /no Python interpreter/);
  });

  it('quotes parts with spaces when describing the launch', () => {
    const launch = buildServerLaunch([], ['/Program Files/Python/python.exe']);
    assert.equal(describeLaunch(launch), '"/Program Files/Python/python.exe" -m fastapi_architect serve');
  });
});
