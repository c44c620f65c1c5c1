import { stub } from './support/register';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ResponseError } from 'vscode-languageserver-protocol';
import { PaletteCommand, ServerCommand } from '../src/common/constants';
import { ServerNotRunningError } from '../src/common/errors';
import {
  addResource,
  migrateWorkspace,
  newProject,
  paletteHandlers,
  registerPaletteCommands,
  type PaletteDeps,
} from '../src/common/palette';
import { RecordingServer, makeProject, outputChannel, tempFolder } from './support/fakes';

let server: RecordingServer;
let deps: PaletteDeps & { output: ReturnType<typeof outputChannel> };
let temp: ReturnType<typeof tempFolder>;

beforeEach(() => {
  stub.reset();
  server = new RecordingServer();
  deps = { server, output: outputChannel() };
  temp = tempFolder();
});
afterEach(() => temp.cleanup());

/** Scripts the six New Project prompts. */
function answerNewProject(
  parent: string | undefined,
  name?: string,
  picks: (string | undefined)[] = [],
): void {
  stub.answers.openDialog.push(parent);
  stub.answers.inputBox.push(name);
  stub.answers.quickPick.push(...picks);
}

describe('New FastAPI Project', () => {
  it('sends the chosen options to fastapi-architect.scaffold', async () => {
    stub.setWorkspaceFolders([temp.folder]);
    answerNewProject(temp.folder, 'orders-service', ['async', 'postgresql', 'slim', 'Without inference']);
    await newProject(deps);
    assert.deepEqual(server.calls, [
      {
        command: ServerCommand.scaffold,
        args: [
          {
            target: path.join(temp.folder, 'orders-service'),
            orm: 'async',
            database: 'postgresql',
            docker: 'slim',
            inference: false,
            confirmedOutsideWorkspace: true,
          },
        ],
      },
    ]);
    assert.deepEqual(stub.progress, ['Creating orders-service…']);
    assert.ok(deps.output.lines.some((line) => line.includes('fastapi-architect.scaffold done: null')));
  });

  it('offers the defaults of the scaffold first in every pick', async () => {
    answerNewProject(temp.folder, 'shop', ['sync', 'sqlite', 'tiangolo', 'With inference']);
    await newProject(deps);
    const picks = stub.prompts.filter((prompt) => prompt.kind === 'quickPick');
    assert.deepEqual(
      picks.map((prompt) => prompt.items?.[0]?.label),
      ['sync', 'sqlite', 'tiangolo', 'With inference'],
    );
    assert.deepEqual(server.calls[0]?.args, [
      {
        target: path.join(temp.folder, 'shop'),
        orm: 'sync',
        database: 'sqlite',
        docker: 'tiangolo',
        inference: true,
        confirmedOutsideWorkspace: true,
      },
    ]);
  });

  it('opens the dialog at the first workspace folder', async () => {
    stub.setWorkspaceFolders([temp.folder]);
    answerNewProject(undefined);
    await newProject(deps);
    const dialog = stub.prompts[0];
    assert.equal(dialog?.kind, 'openDialog');
    assert.equal((dialog?.options.defaultUri as { fsPath: string }).fsPath, temp.folder);
    assert.equal(dialog?.options.canSelectFolders, true);
  });

  it('trims the project name before building the target', async () => {
    answerNewProject(temp.folder, '  shop  ', ['sync', 'sqlite', 'tiangolo', 'With inference']);
    await newProject(deps);
    assert.equal((server.calls[0]?.args[0] as { target: string }).target, path.join(temp.folder, 'shop'));
  });

  for (const step of [0, 1, 2, 3, 4, 5]) {
    it(`sends nothing when the user cancels at step ${step + 1} of 6`, async () => {
      const answers: (string | undefined)[] = [
        temp.folder,
        'shop',
        'sync',
        'sqlite',
        'tiangolo',
        'With inference',
      ];
      answers[step] = undefined;
      answerNewProject(answers[0], answers[1], answers.slice(2));
      await newProject(deps);
      assert.deepEqual(server.calls, []);
      assert.deepEqual(stub.messages, []);
    });
  }

  it('validates the project name while it is typed', async () => {
    answerNewProject(temp.folder, undefined);
    await newProject(deps);
    const box = stub.prompts.find((prompt) => prompt.kind === 'inputBox');
    const validate = box?.options.validateInput as (value: string) => Promise<string | undefined>;
    assert.match((await validate('My Shop')) ?? '', /letters, digits/);
    assert.equal(await validate('my-shop'), undefined);
  });

  it('rejects, while typing, a name whose folder exists and is not empty', async () => {
    mkdirSync(path.join(temp.folder, 'taken'));
    writeFileSync(path.join(temp.folder, 'taken', 'main.py'), '');
    answerNewProject(temp.folder, undefined);
    await newProject(deps);
    const box = stub.prompts.find((prompt) => prompt.kind === 'inputBox');
    const validate = box?.options.validateInput as (value: string) => Promise<string | undefined>;
    assert.match((await validate('taken')) ?? '', /already exists and is not empty \(main\.py\)/);
  });

  it('offers to open a project created outside the workspace in a new window', async () => {
    const elsewhere = tempFolder();
    try {
      stub.setWorkspaceFolders([temp.folder]);
      answerNewProject(elsewhere.folder, 'shop', ['sync', 'sqlite', 'tiangolo', 'With inference']);
      stub.answers.message.push('Open Folder');
      await newProject(deps);
      assert.match(stub.shown('info')[0] ?? '', /Open the new project shop .* in a new window\?/);
      const opened = stub.executedCommands.find((call) => call.id === 'vscode.openFolder');
      assert.equal((opened?.args[0] as { fsPath: string }).fsPath, path.join(elsewhere.folder, 'shop'));
      assert.deepEqual(opened?.args[1], { forceNewWindow: true });
    } finally {
      elsewhere.cleanup();
    }
  });

  it('only notes success in the status bar for a project inside the workspace', async () => {
    stub.setWorkspaceFolders([temp.folder]);
    answerNewProject(temp.folder, 'shop', ['sync', 'sqlite', 'tiangolo', 'With inference']);
    await newProject(deps);
    assert.deepEqual(stub.messages, []);
    assert.match(stub.statusBar[0] ?? '', /Created the FastAPI project shop/);
  });

  it('reports nothing more when the server rejected the options (it told the user)', async () => {
    server.error = new ResponseError(-32602, 'target exists');
    answerNewProject(temp.folder, 'shop', ['sync', 'sqlite', 'tiangolo', 'With inference']);
    await newProject(deps);
    assert.deepEqual(stub.messages, []);
    assert.ok(
      deps.output.lines.some((line) => line.includes('fastapi-architect.scaffold failed: target exists')),
    );
  });
});

describe('Add Resource', () => {
  const SIGNED_IN = 'Require a signed-in user (recommended)';
  const PUBLIC = 'Public: anyone can call these endpoints';

  it('adds to the project around the active file, requiring a signed-in user', async () => {
    const shop = makeProject(path.join(temp.folder, 'shop'));
    stub.setWorkspaceFolders([temp.folder]);
    stub.activeFile = path.join(shop, 'app', 'api', 'v1', 'router.py');
    stub.answers.inputBox.push('line_item');
    stub.answers.quickPick.push(SIGNED_IN);
    await addResource(deps);
    assert.deepEqual(server.calls, [
      { command: ServerCommand.addResource, args: [{ name: 'line_item', projectRoot: shop, public: false }] },
    ]);
    assert.deepEqual(stub.progress, ['Adding line_item…']);
  });

  it('offers the signed-in user first, so Enter keeps the endpoints protected', async () => {
    makeProject(temp.folder);
    stub.setWorkspaceFolders([temp.folder]);
    stub.answers.inputBox.push('order');
    await addResource(deps);
    const access = stub.prompts.find((p) => p.kind === 'quickPick');
    assert.deepEqual(
      access?.items?.map((item) => item.label),
      [SIGNED_IN, PUBLIC],
    );
    assert.match(String(access?.options.title), /who may call the order endpoints/);
  });

  it('sends public: true when the user makes the endpoints public', async () => {
    const shop = makeProject(path.join(temp.folder, 'shop'));
    stub.setWorkspaceFolders([temp.folder]);
    stub.answers.inputBox.push('article');
    stub.answers.quickPick.push(PUBLIC);
    await addResource(deps);
    assert.deepEqual(server.calls, [
      { command: ServerCommand.addResource, args: [{ name: 'article', projectRoot: shop, public: true }] },
    ]);
  });

  it('adds nothing when the user cancels the access choice', async () => {
    makeProject(temp.folder);
    stub.setWorkspaceFolders([temp.folder]);
    stub.answers.inputBox.push('order');
    stub.answers.quickPick.push(undefined);
    await addResource(deps);
    assert.deepEqual(server.calls, []);
    assert.deepEqual(stub.progress, []);
    assert.deepEqual(stub.messages, []);
  });

  it('asks which project when the workspace holds several', async () => {
    makeProject(path.join(temp.folder, 'shop'));
    const billing = makeProject(path.join(temp.folder, 'billing'));
    stub.setWorkspaceFolders([temp.folder]);
    stub.answers.quickPick.push('billing', SIGNED_IN);
    stub.answers.inputBox.push('invoice');
    await addResource(deps);
    assert.deepEqual(server.calls[0]?.args, [{ name: 'invoice', projectRoot: billing, public: false }]);
  });

  it('lets the user choose the project folder when none is found', async () => {
    const shop = makeProject(path.join(temp.folder, 'elsewhere', 'shop'));
    stub.answers.openDialog.push(shop);
    stub.answers.inputBox.push('order');
    stub.answers.quickPick.push(SIGNED_IN);
    await addResource(deps);
    assert.deepEqual(server.calls[0]?.args, [
      { name: 'order', projectRoot: shop, public: false, confirmedOutsideWorkspace: true },
    ]);
  });

  it('explains when the chosen folder is not a scaffolded project', async () => {
    stub.answers.openDialog.push(temp.folder);
    await addResource(deps);
    assert.deepEqual(server.calls, []);
    assert.match(
      stub.shown('error')[0] ?? '',
      /is not a FastAPI Architect project \(app\/api\/v1\/router\.py is missing\)/,
    );
  });

  it('validates the resource name as a Python identifier', async () => {
    makeProject(temp.folder);
    stub.setWorkspaceFolders([temp.folder]);
    stub.answers.inputBox.push(undefined);
    await addResource(deps);
    const validate = stub.prompts.find((p) => p.kind === 'inputBox')?.options.validateInput as (
      v: string,
    ) => string | undefined;
    assert.match(validate('Line Item') ?? '', /singular snake_case/);
    assert.match(validate('def') ?? '', /keyword/);
    assert.equal(validate('line_item'), undefined);
    assert.deepEqual(server.calls, []);
  });
});

describe('Migrate Workspace', () => {
  it('asks first, then runs the server command with no arguments', async () => {
    stub.setWorkspaceFolders([temp.folder]);
    stub.answers.message.push('Migrate');
    await migrateWorkspace(deps);
    assert.deepEqual(server.calls, [{ command: ServerCommand.migrateWorkspace, args: [] }]);
    assert.equal(stub.messages[0]?.modal, true);
  });

  it('does nothing when the user does not confirm', async () => {
    stub.setWorkspaceFolders([temp.folder]);
    await migrateWorkspace(deps);
    assert.deepEqual(server.calls, []);
  });

  it('explains that a folder must be open', async () => {
    await migrateWorkspace(deps);
    assert.deepEqual(server.calls, []);
    assert.match(stub.shown('error')[0] ?? '', /open a folder first/);
  });
});

describe('server command failures', () => {
  it('offers logs and a restart when the server is not running', async () => {
    server.error = new ServerNotRunningError();
    stub.setWorkspaceFolders([temp.folder]);
    stub.answers.message.push('Migrate', 'Restart Server');
    await migrateWorkspace(deps);
    const error = stub.messages.find((m) => m.level === 'error');
    assert.match(error?.message ?? '', /language server is not running/);
    assert.deepEqual(error?.items, ['Show Logs', 'Restart Server']);
    assert.equal(server.restarts.length, 1);
  });

  it('shows errors the server did not report itself', async () => {
    server.error = new ResponseError(-32601, 'Unhandled method workspace/executeCommand');
    stub.setWorkspaceFolders([temp.folder]);
    stub.answers.message.push('Migrate', 'Show Logs');
    await migrateWorkspace(deps);
    assert.match(stub.shown('error')[0] ?? '', /fastapi-architect.migrateWorkspace failed: Unhandled method/);
    assert.equal(deps.output.shown, 1);
  });
});

describe('palette commands without a server', () => {
  for (const [name, run] of [
    ['New FastAPI Project', newProject],
    ['Add Resource', addResource],
    ['Migrate Workspace', migrateWorkspace],
  ] as const) {
    it(`${name} asks nothing when the server cannot start (the start explains why)`, async () => {
      server.running = false;
      makeProject(temp.folder);
      stub.setWorkspaceFolders([temp.folder]);
      await run(deps);
      assert.equal(server.ensureCalls, 1);
      assert.deepEqual(stub.prompts, []);
      assert.deepEqual(stub.messages, []);
      assert.deepEqual(server.calls, []);
    });
  }
});

describe('palette registration', () => {
  it('registers a handler for every palette command id', () => {
    registerPaletteCommands(deps);
    assert.deepEqual([...stub.commands.keys()].sort(), Object.values(PaletteCommand).sort());
  });

  it('never registers the server command ids, which vscode-languageclient owns', () => {
    registerPaletteCommands(deps);
    for (const id of Object.values(ServerCommand)) {
      assert.equal(stub.commands.has(id), false, id);
    }
  });

  it('restarts the server and shows the logs on request', async () => {
    const handlers = paletteHandlers(deps);
    await handlers[PaletteCommand.restartServer]?.();
    await handlers[PaletteCommand.showLogs]?.();
    assert.deepEqual(server.restarts, ['restart requested']);
    assert.equal(deps.output.shown, 1);
  });

  it('shows an unexpected failure instead of throwing it', async () => {
    registerPaletteCommands({
      server: {
        ensureRunning: async () => true,
        restart: async () => Promise.reject(new Error('boom')),
        executeServerCommand: async () => null,
      },
      output: deps.output,
    });
    await stub.commands.get(PaletteCommand.restartServer)?.();
    assert.match(stub.shown('error')[0] ?? '', /boom/);
  });
});
