import { stub } from './support/register';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { describeProblem, installServer, runProblemAction } from '../src/common/problems';
import { outputChannel } from './support/fakes';

describe('start-up problems', () => {
  beforeEach(() => stub.reset());

  it('names the interpreter and the pip command when the package is missing', () => {
    const { message, actions } = describeProblem({ status: 'package-missing', pythonVersion: '3.11.9' }, [
      '/home/ada/my env/bin/python',
    ]);
    assert.equal(
      message,
      'FastAPI Architect: the language server is not installed for "/home/ada/my env/bin/python" (Python 3.11.9). ' +
        'Install it with: "/home/ada/my env/bin/python" -m pip install fastapi-architect',
    );
    assert.deepEqual(actions, ['Install', 'Select Interpreter', 'Show Logs']);
  });

  it('points to the interpreter setting when the interpreter is missing', () => {
    const { message } = describeProblem({ status: 'interpreter-missing', detail: 'x' }, ['python3']);
    assert.match(message, /Python interpreter python3 was not found.*"fastapiArchitect\.interpreter"/);
  });

  it('runs pip in a task and restarts after it succeeds', async () => {
    const restarts: string[] = [];
    stub.setWorkspaceFolders(['/work']);
    await runProblemAction('Install', ['py', '-3.12'], {
      output: outputChannel(),
      restart: async (r) => restarts.push(r),
    });
    assert.equal(stub.tasks[0]?.execution.process, 'py');
    assert.deepEqual(stub.tasks[0]?.execution.args, ['-3.12', '-m', 'pip', 'install', 'fastapi-architect']);
    assert.deepEqual(restarts, ['fastapi-architect was installed']);
  });

  it('explains a failed pip run and does not restart', async () => {
    const restarts: string[] = [];
    stub.taskExitCode = 1;
    await runProblemAction('Install', ['/usr/bin/python3'], {
      output: outputChannel(),
      restart: async (r) => restarts.push(r),
    });
    assert.deepEqual(restarts, []);
    assert.match(
      stub.shown('error')[0] ?? '',
      /"\/usr\/bin\/python3 -m pip install fastapi-architect" failed \(exit code 1\)/,
    );
  });

  it('copies the pip command when tasks cannot run', async () => {
    stub.taskError = new Error('no task support');
    assert.equal(await installServer(['python3'], outputChannel()), false);
    assert.equal(stub.clipboard, 'python3 -m pip install fastapi-architect');
    assert.match(stub.shown('error')[0] ?? '', /copied to the clipboard/);
  });

  it("opens the Python extension's interpreter picker when it is installed", async () => {
    stub.extensions.set('ms-python.python', {});
    await runProblemAction('Select Interpreter', ['python3'], {
      output: outputChannel(),
      restart: async () => true,
    });
    assert.deepEqual(
      stub.executedCommands.map((c) => c.id),
      ['python.setInterpreter'],
    );
  });

  it('opens the interpreter setting without the Python extension', async () => {
    await runProblemAction('Select Interpreter', ['python3'], {
      output: outputChannel(),
      restart: async () => true,
    });
    assert.deepEqual(stub.executedCommands, [
      { id: 'workbench.action.openSettings', args: ['fastapiArchitect.interpreter'] },
    ]);
  });
});
