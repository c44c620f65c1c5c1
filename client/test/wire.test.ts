/**
 * Over the wire: the real server (`<python> -m fastapi_architect serve`, started with the
 * command line the extension builds) accepts what the extension sends and advertises what
 * the extension relies on. Needs the repository's .venv or $FASTAPI_ARCHITECT_PYTHON.
 */
import { stub } from './support/register';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import {
  CodeActionRequest,
  CompletionRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  TextDocumentSyncKind,
} from 'vscode-languageserver-protocol/node';
import * as vscode from 'vscode';
import { PaletteCommand, SECTION, ServerCommand } from '../src/common/constants';
import { checkServerInstalled } from '../src/common/preflight';
import { isProjectRoot } from '../src/common/projectRoot';
import { validateProjectName, validateResourceName } from '../src/common/validation';
import {
  CLIENT_SETTING_KEYS,
  SERVER_SETTING_KEYS,
  VSCODE_DEFAULT_OVERRIDES,
  readServerSettings,
} from '../src/common/settings';
import { addResource, newProject } from '../src/common/palette';
import { makeProject, outputChannel, tempFolder } from './support/fakes';
import { packageJson } from './support/vscode';
import { Session, clientDir, serverPython } from './support/wire';

const python = serverPython();
const missingPython =
  'no server interpreter: run `make .venv/.installed` at the repository root or set FASTAPI_ARCHITECT_PYTHON';
if (!python && process.env.CI) {
  throw new Error(missingPython);
}
const skip = python ? false : missingPython;

/** The whole section as vscode-languageclient pushes it with `workspace/didChangeConfiguration`. */
function sectionAsPushed(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const section: Record<string, unknown> = {};
  for (const id of Object.keys(packageJson.contributes.configuration.properties)) {
    const parts = id.slice(SECTION.length + 1).split('.');
    let node = section;
    for (const part of parts.slice(0, -1)) {
      node = (node[part] ??= {}) as Record<string, unknown>;
    }
    node[parts[parts.length - 1] as string] = config.get(parts.join('.'), undefined);
  }
  return section;
}

const NON_DEFAULT_SETTINGS = {
  'fastapiArchitect.logLevel': 'debug',
  'fastapiArchitect.diagnostics.enabled': false,
  'fastapiArchitect.diagnostics.debounceMs': 10_000,
  'fastapiArchitect.extract.serviceModule': '{singular}_service',
  'fastapiArchitect.completion.enabled': false,
  'fastapiArchitect.analysis.maxFileBytes': 1000,
  'fastapiArchitect.interpreter': ['/opt/python/bin/python3'],
  'fastapiArchitect.server.command': ['fastapi-architect', 'serve'],
  'fastapiArchitect.trace.server': 'verbose',
};

const V1_MODEL = [
  'from pydantic import BaseModel, validator',
  '',
  '',
  'class User(BaseModel):',
  '    name: str',
  '',
  '    @validator("name")',
  '    def strip(cls, v):',
  '        return v.strip()',
  '',
].join('\n');

describe('wire: the extension and the real server', { skip, timeout: 120_000 }, () => {
  let temp: ReturnType<typeof tempFolder>;
  let session: Session | undefined;

  beforeEach(() => {
    stub.reset();
    temp = tempFolder('fa-wire-');
  });
  afterEach(async () => {
    if (session && session.child.exitCode === null) {
      session.child.kill();
    }
    session = undefined;
    temp.cleanup();
  });

  const start = async (options: { resourceOperations?: boolean } = {}): Promise<Session> => {
    session = await Session.start({
      python: python as string,
      workspace: temp.folder,
      initializationOptions: readServerSettings(vscode.workspace.getConfiguration(SECTION)),
      configuration: sectionAsPushed(),
      ...options,
    });
    return session;
  };

  it('advertises code actions with resolve, the fix-all and extract kinds, the commands and completion', async () => {
    const { initializeResult } = await start();
    const capabilities = initializeResult.capabilities;
    assert.equal(initializeResult.serverInfo?.name, 'fastapi-architect');
    const codeActions = capabilities.codeActionProvider;
    assert.ok(codeActions && typeof codeActions === 'object', 'codeActionProvider is an options object');
    assert.equal(codeActions.resolveProvider, true);
    for (const kind of ['quickfix', 'source.fixAll.fastapi-architect', 'refactor.extract']) {
      assert.ok(codeActions.codeActionKinds?.includes(kind), `code action kind ${kind}`);
    }
    const commands = capabilities.executeCommandProvider?.commands ?? [];
    for (const command of Object.values(ServerCommand)) {
      assert.ok(commands.includes(command), `server command ${command}`);
    }
    for (const command of Object.values(PaletteCommand)) {
      assert.ok(!commands.includes(command), `palette id ${command} must not clash with a server command`);
    }
    assert.ok(capabilities.completionProvider, 'completionProvider');
    const sync = capabilities.textDocumentSync;
    assert.equal(typeof sync === 'object' ? sync.change : sync, TextDocumentSyncKind.Incremental);
    assert.equal(await session!.close(), 0);
  });

  it('accepts the default settings the extension sends, then serves a Python document', async () => {
    const current = await start();
    const uri = pathToFileURL(path.join(temp.folder, 'models.py')).href;
    await current.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'python', version: 1, text: V1_MODEL },
    });
    await current.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [
        { range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } }, text: '\n' },
      ],
    });
    const completion = await current.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line: 4, character: 4 },
    });
    assert.ok(completion === null || Array.isArray(completion) || Array.isArray(completion.items));
    const actions = await current.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: { start: { line: 6, character: 4 }, end: { line: 6, character: 4 } },
      context: { diagnostics: [] },
    });
    assert.ok(actions === null || Array.isArray(actions));
    await current.connection.sendNotification(DidCloseTextDocumentNotification.type, {
      textDocument: { uri },
    });
    assert.equal(await current.close(), 0);
    assert.deepEqual(current.problems(), []);
  });

  it('accepts every setting changed from its default, client-only keys included, on start and on change', async () => {
    stub.settings = { ...NON_DEFAULT_SETTINGS };
    const current = await start();
    await current.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { [SECTION]: sectionAsPushed() },
    });
    assert.equal(await current.close(), 0);
    assert.deepEqual(current.problems(), []);
  });

  it('accepts the pull model: an empty change answered from workspace/configuration', async () => {
    stub.settings = { ...NON_DEFAULT_SETTINGS };
    const current = await start();
    await current.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    assert.equal(await current.close(), 0);
    assert.deepEqual(current.problems(), []);
  });

  it('would notice a rejected setting: the server warns about an invalid value', async () => {
    stub.settings = { 'fastapiArchitect.diagnostics.debounceMs': 'fast' };
    const current = await start();
    assert.equal(await current.close(), 0);
    const [warning] = current.problems();
    assert.match(warning ?? '', /invalid settings in initializationOptions.*diagnostics\.debounceMs/);
  });

  it('answers the migrate command the palette sends, with no arguments', async () => {
    const current = await start();
    const outcome = await current.connection
      .sendRequest(ExecuteCommandRequest.type, { command: ServerCommand.migrateWorkspace, arguments: [] })
      .then(
        () => 'answered',
        (error: Error) => `failed: ${error.message}`,
      );
    assert.equal(outcome, 'answered');
    assert.equal(await current.close(), 0);
  });

  for (const resourceOperations of [true, false]) {
    const how = resourceOperations ? 'through workspace edits (VS Code)' : 'by direct writes';
    it(`the palette's New Project and Add Resource drive the real server, ${how}`, async (t) => {
      const current = await start({ resourceOperations });
      const deps = {
        output: outputChannel(),
        server: {
          executeServerCommand: (command: string, args: unknown[]) =>
            current.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: args }),
          ensureRunning: async () => true,
          restart: async () => false,
        },
      };
      stub.setWorkspaceFolders([temp.folder]);
      stub.answers.openDialog.push(temp.folder);
      stub.answers.inputBox.push('shop');
      stub.answers.quickPick.push('sync', 'sqlite', 'slim', 'Without inference');
      await newProject(deps);
      if (current.messages.some((message) => /not yet available/.test(message.message))) {
        await current.close();
        t.skip('the server does not implement scaffolding yet');
        return;
      }
      const target = path.join(temp.folder, 'shop');
      assert.deepEqual(current.problems(), []);
      assert.ok(existsSync(path.join(target, 'app', 'main.py')), 'app/main.py was written');
      assert.ok(await isProjectRoot(target), 'the project has the marker Add Resource looks for');

      // A second project makes the server depend on the projectRoot the palette sends.
      makeProject(path.join(temp.folder, 'billing'));
      stub.activeFile = path.join(target, 'app', 'main.py');
      stub.answers.inputBox.push('line_item');
      stub.answers.quickPick.push('Require a signed-in user (recommended)');
      await addResource(deps);
      assert.deepEqual(current.problems(), []);
      const router = readFileSync(path.join(target, 'app', 'api', 'v1', 'router.py'), 'utf8');
      assert.match(router, /line_items/, 'the new router is included in app/api/v1/router.py');
      assert.ok(existsSync(path.join(target, 'app', 'models', 'line_item.py')), 'the model was written');
      const endpoints = (plural: string): string =>
        readFileSync(path.join(target, 'app', 'api', 'v1', 'endpoints', `${plural}.py`), 'utf8');
      assert.match(
        endpoints('line_items'),
        /Depends\(get_current_user\)/,
        'line_items need a signed-in user',
      );

      stub.answers.inputBox.push('article');
      stub.answers.quickPick.push('Public: anyone can call these endpoints');
      await addResource(deps);
      assert.deepEqual(current.problems(), []);
      assert.match(endpoints('articles'), /open to anyone/, 'the public endpoints were written');
      assert.doesNotMatch(endpoints('articles'), /get_current_user|CurrentUserDep/);
      assert.equal(await current.close(), 0);
    });
  }
});

describe('wire: preflight against real interpreters', { skip, timeout: 60_000 }, () => {
  it('finds the server package in the repository environment', async () => {
    const result = await checkServerInstalled([python as string], { cwd: clientDir });
    assert.equal(result.status, 'ok', JSON.stringify(result));
    assert.match(result.status === 'ok' ? result.pythonVersion : '', /^3\.\d+\.\d+$/);
  });

  it('reports the package as missing when site-packages is off (python -I -S)', async () => {
    const result = await checkServerInstalled([python as string, '-I', '-S'], { cwd: clientDir });
    assert.equal(result.status, 'package-missing', JSON.stringify(result));
  });

  it('reports a missing interpreter', async () => {
    const result = await checkServerInstalled([path.join(clientDir, 'no-such-python')], { cwd: clientDir });
    assert.equal(result.status, 'interpreter-missing');
  });
});

describe("wire: package.json mirrors the server's settings model", { skip }, () => {
  let schema: { properties: Record<string, SchemaNode>; $defs?: Record<string, SchemaNode> };
  let clientOnly: string[];

  interface SchemaNode {
    properties?: Record<string, SchemaNode>;
    $ref?: string;
    allOf?: SchemaNode[];
    default?: unknown;
    enum?: unknown[];
    type?: string;
    minimum?: number;
    maximum?: number;
  }

  before(() => {
    const script = [
      'import json',
      'from fastapi_architect.lsp.settings import CLIENT_ONLY_KEYS, ServerSettings',
      'print(json.dumps({"schema": ServerSettings.model_json_schema(by_alias=True), "clientOnly": sorted(CLIENT_ONLY_KEYS)}))',
    ].join('\n');
    const parsed = JSON.parse(
      execFileSync(python as string, ['-c', script], { encoding: 'utf8', cwd: clientDir }),
    );
    schema = parsed.schema;
    clientOnly = parsed.clientOnly;
  });
  after(() => undefined);

  /** Every leaf setting of the model: dotted camelCase key → its schema. */
  function leaves(node: SchemaNode, prefix = ''): Map<string, SchemaNode> {
    const found = new Map<string, SchemaNode>();
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const ref = child.$ref ?? child.allOf?.[0]?.$ref;
      if (ref) {
        const target = schema.$defs?.[ref.split('/').pop() as string] as SchemaNode;
        for (const [key, value] of leaves(target, `${prefix}${name}.`)) {
          found.set(key, value);
        }
      } else {
        found.set(`${prefix}${name}`, child);
      }
    }
    return found;
  }

  it('has the same server keys as the model', () => {
    assert.deepEqual([...leaves(schema as SchemaNode).keys()].sort(), [...SERVER_SETTING_KEYS].sort());
  });

  it('has the same defaults, types, choices and bounds as the model', () => {
    const properties = packageJson.contributes.configuration.properties as Record<string, SchemaNode>;
    for (const [key, model] of leaves(schema as SchemaNode)) {
      const contributed = properties[`${SECTION}.${key}`] as SchemaNode;
      const expectedDefault = key in VSCODE_DEFAULT_OVERRIDES ? VSCODE_DEFAULT_OVERRIDES[key] : model.default;
      assert.deepEqual(contributed.default, expectedDefault, `${key} default`);
      assert.equal(contributed.type, model.type, `${key} type`);
      assert.deepEqual(contributed.enum, model.enum, `${key} choices`);
      assert.equal(contributed.minimum, model.minimum, `${key} minimum`);
      assert.equal(contributed.maximum, model.maximum, `${key} maximum`);
    }
  });

  it('has client-only keys that the server ignores', () => {
    const roots = [...new Set(CLIENT_SETTING_KEYS.map((key) => key.split('.')[0]))].sort();
    assert.deepEqual(roots, clientOnly);
  });
});

describe("wire: the palette's name rules agree with the scaffold engine", { skip }, () => {
  const resources = [
    'order',
    'line_item',
    'user2',
    'person',
    'category',
    'status',
    'models',
    'model',
    'service',
    'setting',
    'data',
    'sensor_data',
    'class',
    'LineItem',
    'line-item',
    'line__item',
    '2fa',
    '_x',
    'a'.repeat(24),
    'a'.repeat(25),
  ];
  const projects = [
    'orders-service',
    'OrdersService',
    'my.service',
    'shop',
    'a',
    '-api',
    'api-',
    '.hidden',
    'My Service',
    'a/b',
    'a'.repeat(60),
    'a'.repeat(61),
  ];
  let verdicts: { resources: Record<string, boolean>; projects: Record<string, boolean> } | undefined;

  before(() => {
    const script = [
      'import json, sys',
      'try:',
      '    from fastapi_architect.scaffold import ScaffoldError, parse_options',
      '    from fastapi_architect.scaffold.naming import resource_names',
      'except ImportError:',
      '    print("null"); sys.exit(0)',
      'def ok(fn, value):',
      '    try:',
      '        fn(value)',
      '        return True',
      '    except (ScaffoldError, ValueError):',
      '        return False',
      'names = json.loads(sys.argv[1])',
      'print(json.dumps({',
      '    "resources": {n: ok(resource_names, n) for n in names["resources"]},',
      '    "projects": {n: ok(lambda v: parse_options({"project_name": v}), n) for n in names["projects"]},',
      '}))',
    ].join('\n');
    const output = execFileSync(python as string, ['-c', script, JSON.stringify({ resources, projects })], {
      encoding: 'utf8',
      cwd: clientDir,
    });
    verdicts = JSON.parse(output) ?? undefined;
  });

  it('accepts and rejects the same resource names', (t) => {
    if (!verdicts) {
      t.skip('this server has no scaffold engine yet');
      return;
    }
    for (const name of resources) {
      assert.equal(validateResourceName(name) === undefined, verdicts.resources[name], name);
    }
  });

  it('accepts and rejects the same project names', (t) => {
    if (!verdicts) {
      t.skip('this server has no scaffold engine yet');
      return;
    }
    for (const name of projects) {
      assert.equal(validateProjectName(name) === undefined, verdicts.projects[name], name);
    }
  });
});
