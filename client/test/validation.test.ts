import './support/register';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  slugHint,
  validateNewProjectFolder,
  validateProjectName,
  validateResourceName,
} from '../src/common/validation';
import { tempFolder } from './support/fakes';

describe('project name validation', () => {
  for (const name of ['orders-service', 'shop', 'api_v2', 'a1', 'billing-api-2']) {
    it(`accepts ${name}`, () => assert.equal(validateProjectName(name), undefined));
  }

  it('rejects names that are not lowercase slugs, with a suggestion', () => {
    assert.match(validateProjectName('My Service') ?? '', /lowercase.*\(e\.g\. my-service\)/);
    assert.match(validateProjectName('OrdersService') ?? '', /e\.g\. orders-service/);
  });

  it('rejects names starting with a digit or separator, and doubled or trailing separators', () => {
    for (const name of ['1api', '-api', 'api--v2', 'api-', 'api.v2', '../etc', 'a/b']) {
      assert.ok(validateProjectName(name), `${name} should be rejected`);
    }
  });

  it('asks for a name when the box is empty', () => {
    assert.match(validateProjectName('   ') ?? '', /Enter a project name/);
  });

  it('rejects names longer than 64 characters', () => {
    assert.match(validateProjectName('a'.repeat(65)) ?? '', /at most 64/);
  });
});

describe('resource name validation', () => {
  for (const name of ['order', 'line_item', 'user2']) {
    it(`accepts ${name}`, () => assert.equal(validateResourceName(name), undefined));
  }

  it('rejects Python keywords by name', () => {
    assert.match(validateResourceName('class') ?? '', /"class" is a Python keyword/);
    assert.match(validateResourceName('import') ?? '', /keyword/);
  });

  it('rejects non-identifiers and suggests a snake_case form', () => {
    assert.match(validateResourceName('LineItem') ?? '', /e\.g\. line_item/);
    assert.match(validateResourceName('line-item') ?? '', /e\.g\. line_item/);
    assert.ok(validateResourceName('2fa'));
    assert.ok(validateResourceName('order item'));
    assert.ok(validateResourceName('_private'));
  });

  it('asks for a name when the box is empty', () => {
    assert.match(validateResourceName('') ?? '', /Enter a resource name/);
  });
});

describe('slug hints', () => {
  it('turns free text into the nearest slug', () => {
    assert.equal(slugHint('My  Shop!'), 'my-shop');
    assert.equal(slugHint('123'), '');
  });
});

describe('new project folder', () => {
  const temp = tempFolder();
  before(() => {
    mkdirSync(path.join(temp.folder, 'empty'));
    mkdirSync(path.join(temp.folder, 'busy'));
    writeFileSync(path.join(temp.folder, 'busy', 'main.py'), '');
    writeFileSync(path.join(temp.folder, 'file'), '');
  });
  after(() => temp.cleanup());

  it('accepts a folder that does not exist yet, or an empty one', async () => {
    assert.equal(await validateNewProjectFolder(path.join(temp.folder, 'new')), undefined);
    assert.equal(await validateNewProjectFolder(path.join(temp.folder, 'empty')), undefined);
  });

  it('refuses a folder with files, listing them', async () => {
    assert.match((await validateNewProjectFolder(path.join(temp.folder, 'busy'))) ?? '', /not empty \(main\.py\)/);
  });

  it('refuses a path that is a file', async () => {
    assert.match((await validateNewProjectFolder(path.join(temp.folder, 'file'))) ?? '', /is a file/);
  });
});
