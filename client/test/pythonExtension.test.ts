import { stub } from './support/register';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import {
  loadPythonEnvironments,
  pythonEnvironmentsFromApi,
  type PythonExtensionApi,
} from '../src/common/pythonExtension';
import { EventEmitter } from './support/vscode';

describe('Python extension environments', () => {
  beforeEach(() => stub.reset());

  it('resolves the active environment to its executable', async () => {
    const asked: unknown[] = [];
    const api: PythonExtensionApi = {
      environments: {
        getActiveEnvironmentPath: (resource) => (asked.push(resource), { id: 'venv', path: '/work/.venv' }),
        resolveEnvironment: async (environment) => {
          assert.deepEqual(environment, { id: 'venv', path: '/work/.venv' });
          return { executable: { uri: vscode.Uri.file('/work/.venv/bin/python') } };
        },
        onDidChangeActiveEnvironmentPath: new EventEmitter<unknown>().event,
      },
    };
    assert.deepEqual(await pythonEnvironmentsFromApi(api).activeInterpreter('/work'), [
      '/work/.venv/bin/python',
    ]);
    assert.equal((asked[0] as vscode.Uri).fsPath, '/work');
  });

  it("falls back to the older API's execution details", async () => {
    const api: PythonExtensionApi = {
      settings: { getExecutionDetails: () => ({ execCommand: ['conda', 'run', '-n', 'base', 'python'] }) },
    };
    assert.deepEqual(await pythonEnvironmentsFromApi(api).activeInterpreter(), [
      'conda',
      'run',
      '-n',
      'base',
      'python',
    ]);
  });

  it('has no interpreter when the environment cannot be resolved', async () => {
    const api: PythonExtensionApi = {
      environments: {
        getActiveEnvironmentPath: () => ({ id: 'x', path: '/gone' }),
        resolveEnvironment: async () => undefined,
        onDidChangeActiveEnvironmentPath: new EventEmitter<unknown>().event,
      },
      settings: { getExecutionDetails: () => ({ execCommand: undefined }) },
    };
    assert.equal(await pythonEnvironmentsFromApi(api).activeInterpreter(), undefined);
  });

  it('forwards interpreter changes', () => {
    const changed = new EventEmitter<unknown>();
    const api: PythonExtensionApi = {
      environments: {
        getActiveEnvironmentPath: () => ({ id: 'x', path: '/x' }),
        resolveEnvironment: async () => undefined,
        onDidChangeActiveEnvironmentPath: changed.event,
      },
    };
    let calls = 0;
    const subscription = pythonEnvironmentsFromApi(api).onDidChangeInterpreter(() => (calls += 1));
    changed.fire({});
    subscription.dispose();
    changed.fire({});
    assert.equal(calls, 1);
  });

  it('is absent when the Python extension is not installed', async () => {
    assert.equal(await loadPythonEnvironments(() => undefined), undefined);
  });

  it('activates the Python extension and uses its exports', async () => {
    const api: PythonExtensionApi = { settings: { getExecutionDetails: () => ({ execCommand: ['/py'] }) } };
    stub.extensions.set('ms-python.python', {
      isActive: false,
      exports: undefined,
      activate: async () => api,
    });
    const environments = await loadPythonEnvironments(() => undefined);
    assert.deepEqual(await environments?.activeInterpreter(), ['/py']);
  });

  it('logs and carries on when the Python extension fails to activate', async () => {
    const logged: string[] = [];
    stub.extensions.set('ms-python.python', {
      isActive: false,
      activate: async () => {
        throw new Error('activation failed');
      },
    });
    assert.equal(await loadPythonEnvironments((message) => logged.push(message)), undefined);
    assert.deepEqual(logged, ['The Python extension could not be activated: activation failed']);
  });
});
