import './support/register';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestartScheduler, followsPythonExtension, settingsChangeNeedsRestart } from '../src/common/restart';

const changeOf = (...ids: string[]) => ({
  affectsConfiguration: (section: string) => ids.some((id) => id === section || id.startsWith(`${section}.`)),
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('restart decisions', () => {
  it('restarts when the interpreter or the server command changes', () => {
    assert.ok(settingsChangeNeedsRestart(changeOf('fastapiArchitect.interpreter')));
    assert.ok(settingsChangeNeedsRestart(changeOf('fastapiArchitect.server.command')));
  });

  it('does not restart for settings the server applies live', () => {
    for (const id of [
      'fastapiArchitect.logLevel',
      'fastapiArchitect.diagnostics.debounceMs',
      'fastapiArchitect.completion.enabled',
      'fastapiArchitect.trace.server',
      'python.analysis.typeCheckingMode',
    ]) {
      assert.equal(settingsChangeNeedsRestart(changeOf(id)), false, id);
    }
  });

  it("follows the Python extension's interpreter only when nothing overrides it", () => {
    assert.ok(followsPythonExtension({ interpreter: [], serverCommand: [], serverEnvironment: 'bundled' }));
    assert.equal(
      followsPythonExtension({ interpreter: ['/py'], serverCommand: [], serverEnvironment: 'bundled' }),
      false,
    );
    assert.equal(
      followsPythonExtension({
        interpreter: [],
        serverCommand: ['fa', 'serve'],
        serverEnvironment: 'bundled',
      }),
      false,
    );
  });
});

describe('restart scheduler', () => {
  it('coalesces a burst of triggers into one restart with every reason', async () => {
    const restarts: string[] = [];
    const scheduler = new RestartScheduler(async (reason) => restarts.push(reason), 20);
    scheduler.schedule('interpreter changed');
    scheduler.schedule('interpreter changed');
    scheduler.schedule('server command changed');
    assert.ok(scheduler.pending);
    await sleep(60);
    assert.deepEqual(restarts, ['interpreter changed; server command changed']);
    assert.equal(scheduler.pending, false);
  });

  it('restarts again for a trigger after the first restart', async () => {
    const restarts: string[] = [];
    const scheduler = new RestartScheduler(async (reason) => restarts.push(reason), 10);
    scheduler.schedule('first');
    await sleep(40);
    scheduler.schedule('second');
    await sleep(40);
    assert.deepEqual(restarts, ['first', 'second']);
  });

  it('drops a pending restart when disposed', async () => {
    const restarts: string[] = [];
    const scheduler = new RestartScheduler(async (reason) => restarts.push(reason), 10);
    scheduler.schedule('late');
    scheduler.dispose();
    await sleep(40);
    assert.deepEqual(restarts, []);
  });
});
