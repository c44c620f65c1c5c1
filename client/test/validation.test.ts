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
  for (const name of [
    'orders-service',
    'shop',
    'api_v2',
    'OrdersService',
    'my.service',
    '2fa-gateway',
    'a',
  ]) {
    it(`accepts ${name}`, () => assert.equal(validateProjectName(name), undefined));
  }

  it('rejects spaces and other characters, with a suggestion', () => {
    assert.match(validateProjectName('My Service') ?? '', /letters, digits.*\(e\.g\. my-service\)/);
    assert.match(validateProjectName('shop!') ?? '', /e\.g\. shop/);
  });

  it('rejects names that start or end with a separator, and paths', () => {
    for (const name of ['-api', 'api-', '.hidden', 'api.', '../etc', 'a/b', 'a\\b', '..']) {
      assert.ok(validateProjectName(name), `${name} should be rejected`);
    }
  });

  it('asks for a name when the box is empty', () => {
    assert.match(validateProjectName('   ') ?? '', /Enter a project name/);
  });

  it('rejects names longer than 60 characters', () => {
    assert.equal(validateProjectName('a'.repeat(60)), undefined);
    assert.match(validateProjectName('a'.repeat(61)) ?? '', /at most 60/);
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

  it("rejects names of the generated project's own modules", () => {
    assert.match(validateResourceName('models') ?? '', /"models" is a module of the generated project/);
    assert.ok(validateResourceName('health'));
    assert.match(validateResourceName('service') ?? '', /module of the generated project/);
  });

  it('rejects uncountable nouns, which have no plural for the table and routes', () => {
    assert.match(validateResourceName('data') ?? '', /no plural form/);
    assert.match(validateResourceName('sensor_data') ?? '', /no plural form/);
  });

  it('rejects non-identifiers and suggests a snake_case form', () => {
    assert.match(validateResourceName('LineItem') ?? '', /e\.g\. line_item/);
    assert.match(validateResourceName('line-item') ?? '', /e\.g\. line_item/);
    assert.ok(validateResourceName('2fa'));
    assert.ok(validateResourceName('order item'));
    assert.ok(validateResourceName('_private'));
    assert.ok(validateResourceName('line__item'));
  });

  it('rejects names longer than 24 characters', () => {
    assert.equal(validateResourceName('a'.repeat(24)), undefined);
    assert.match(validateResourceName('a'.repeat(25)) ?? '', /at most 24/);
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
    assert.match(
      (await validateNewProjectFolder(path.join(temp.folder, 'busy'))) ?? '',
      /not empty \(main\.py\)/,
    );
  });

  it('refuses a path that is a file', async () => {
    assert.match((await validateNewProjectFolder(path.join(temp.folder, 'file'))) ?? '', /is a file/);
  });
});
