import './support/register';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { candidateProjectRoots, isInside, projectRootAbove, projectRootsIn } from '../src/common/projectRoot';
import { makeProject, tempFolder, writeFiles } from './support/fakes';

describe('finding the project for Add Resource', () => {
  const temp = tempFolder();
  const workspace = temp.folder;
  const shop = makeProject(path.join(workspace, 'shop'));
  const billing = makeProject(path.join(workspace, 'billing'));
  writeFiles(workspace, { 'notes/readme.md': '', '.hidden/app/api/v1/router.py': '' });
  after(() => temp.cleanup());

  it('finds the project around the active file', async () => {
    const file = path.join(shop, 'app', 'api', 'v1', 'endpoints', 'users.py');
    assert.equal(await projectRootAbove(file, workspace), shop);
    assert.deepEqual(await candidateProjectRoots(file, [workspace]), [shop]);
  });

  it('does not look above the workspace folder', async () => {
    const file = path.join(shop, 'app', 'main.py');
    assert.equal(await projectRootAbove(file, path.join(shop, 'app')), undefined);
  });

  it('lists every project at the top of the workspace when no file is active', async () => {
    assert.deepEqual(await candidateProjectRoots(undefined, [workspace]), [billing, shop]);
  });

  it('lists every project when the active file is outside any project', async () => {
    assert.deepEqual(await candidateProjectRoots(path.join(workspace, 'notes', 'readme.md'), [workspace]), [
      billing,
      shop,
    ]);
  });

  it('takes a workspace folder that is itself a project', async () => {
    assert.deepEqual(await projectRootsIn(shop), [shop]);
    assert.deepEqual(await candidateProjectRoots(undefined, [shop, workspace]), [shop, billing]);
  });

  it('finds nothing in a folder without projects or a missing folder', async () => {
    assert.deepEqual(await projectRootsIn(path.join(workspace, 'notes')), []);
    assert.deepEqual(await projectRootsIn(path.join(workspace, 'missing')), []);
  });

  it('knows when a path is inside a folder', () => {
    assert.ok(isInside('/a/b/c', '/a/b'));
    assert.ok(isInside('/a/b', '/a/b'));
    assert.ok(!isInside('/a/bc', '/a/b'));
    assert.ok(!isInside('/a', '/a/b'));
  });
});
