import './support/register';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import {
  defaultInterpreterNames,
  expandCommand,
  findOnPath,
  resolveInterpreter,
  type PythonEnvironments,
} from '../src/common/interpreter';
import { tempFolder } from './support/fakes';

const python = (command: string[] | undefined): PythonEnvironments => ({
  activeInterpreter: async () => command,
});
const nothingOnPath = async () => undefined;

describe('interpreter discovery', () => {
  it('prefers the fastapiArchitect.interpreter setting over the Python extension', async () => {
    const chosen = await resolveInterpreter(['/opt/py/bin/python'], { python: python(['/venv/bin/python']) });
    assert.deepEqual(chosen, { command: ['/opt/py/bin/python'], source: 'setting' });
  });

  it("uses the Python extension's active environment when the setting is empty", async () => {
    const chosen = await resolveInterpreter([], {
      python: python(['/venv/bin/python']),
      findOnPath: async () => '/usr/bin/python3',
    });
    assert.deepEqual(chosen, { command: ['/venv/bin/python'], source: 'python-extension' });
  });

  it('passes the resource folder to the Python extension', async () => {
    const asked: (string | undefined)[] = [];
    await resolveInterpreter([], {
      resource: '/work/project',
      python: { activeInterpreter: async (resource) => (asked.push(resource), ['/x/python']) },
    });
    assert.deepEqual(asked, ['/work/project']);
  });

  it('falls back to python3 on PATH without the Python extension', async () => {
    const chosen = await resolveInterpreter([], {
      platform: 'linux',
      findOnPath: async (name) => (name === 'python3' ? '/usr/bin/python3' : undefined),
    });
    assert.deepEqual(chosen, { command: ['/usr/bin/python3'], source: 'path' });
  });

  it('falls back to python when there is no python3', async () => {
    const chosen = await resolveInterpreter([], {
      platform: 'linux',
      findOnPath: async (name) => (name === 'python' ? '/usr/local/bin/python' : undefined),
    });
    assert.deepEqual(chosen.command, ['/usr/local/bin/python']);
  });

  it('falls back to PATH when the Python extension has no environment or fails', async () => {
    const find = async () => '/usr/bin/python3';
    assert.equal(
      (await resolveInterpreter([], { python: python(undefined), findOnPath: find })).source,
      'path',
    );
    const broken: PythonEnvironments = {
      activeInterpreter: async () => {
        throw new Error('not ready');
      },
    };
    assert.equal((await resolveInterpreter([], { python: broken, findOnPath: find })).source, 'path');
  });

  it('names python3 when nothing is found, so the start-up error names it too', async () => {
    const chosen = await resolveInterpreter([], { platform: 'linux', findOnPath: nothingOnPath });
    assert.deepEqual(chosen, { command: ['python3'], source: 'path' });
  });

  it('tries python before py on Windows', () => {
    assert.deepEqual(defaultInterpreterNames('win32').slice(0, 2), ['python', 'py']);
    assert.deepEqual(defaultInterpreterNames('darwin'), ['python3', 'python']);
  });

  it('expands ${workspaceFolder}, ${userHome} and ~ in the setting', async () => {
    const context = { workspaceFolder: '/work/shop', homeDir: '/home/ada' };
    assert.deepEqual(expandCommand(['${workspaceFolder}/.venv/bin/python'], context), [
      '/work/shop/.venv/bin/python',
    ]);
    assert.deepEqual(expandCommand(['~/venvs/fa/bin/python', '-X', 'dev'], context), [
      '/home/ada/venvs/fa/bin/python',
      '-X',
      'dev',
    ]);
    assert.deepEqual(expandCommand(['${userHome}/py'], context), ['/home/ada/py']);
  });

  it('resolves a relative interpreter path against the workspace folder', () => {
    assert.deepEqual(expandCommand(['.venv/bin/python'], { workspaceFolder: '/work/shop' }), [
      '/work/shop/.venv/bin/python',
    ]);
  });

  it('leaves a bare program name for PATH lookup', () => {
    assert.deepEqual(expandCommand(['python3.12'], { workspaceFolder: '/work/shop' }), ['python3.12']);
  });

  describe('PATH lookup', () => {
    let cleanup = () => undefined as void;
    afterEach(() => cleanup());

    it('finds an executable file and skips non-executable ones and folders', async () => {
      const temp = tempFolder();
      cleanup = temp.cleanup;
      const first = path.join(temp.folder, 'a');
      const second = path.join(temp.folder, 'b');
      const third = path.join(temp.folder, 'c');
      mkdirSync(first);
      mkdirSync(second);
      mkdirSync(third);
      writeFileSync(path.join(first, 'python3'), '');
      chmodSync(path.join(first, 'python3'), 0o644);
      mkdirSync(path.join(second, 'python3'));
      writeFileSync(path.join(third, 'python3'), '#!/bin/sh\n');
      chmodSync(path.join(third, 'python3'), 0o755);
      const env = { PATH: [first, second, third].join(':') };
      assert.equal(await findOnPath('python3', env, 'linux'), path.join(third, 'python3'));
      assert.equal(await findOnPath('python9', env, 'linux'), undefined);
    });
  });
});
