// The e2e scenarios: each asserts on what VS Code shows (DOM, Problems, notifications) or on the
// files on disk, and saves a screenshot per step.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const V1_MODEL = (name) => `from pydantic import BaseModel, validator


class ${name}(BaseModel):
    name: str

    @validator("name")
    def strip_name(cls, value):
        return value.strip()
`;

/** The workspace every run starts from. */
export const WORKSPACE_FILES = {
  'pyproject.toml': '[project]\nname = "shop"\nversion = "0.1.0"\n',
  '.vscode/settings.json': '{}\n',
  'app/__init__.py': '',
  'app/schemas.py': V1_MODEL('Item'),
  'app/legacy.py': V1_MODEL('Legacy'),
  'app/untouched.py': V1_MODEL('Untouched'),
};

const MINUTE = 60_000;

async function until(description, condition, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await condition();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout / 1000} s waiting for ${description}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function steps(context, id) {
  let index = 0;
  return async (name) => {
    index += 1;
    const file = path.join(context.results, `${id}-${String(index).padStart(2, '0')}-${name}.png`);
    await context.page.screenshot({ path: file });
  };
}

/** Runs a palette command by its title. */
async function palette(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor();
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
}

/** Opens a workspace file with Quick Open and waits for its editor tab. */
async function openFile(page, relative) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor();
  await input.fill(relative);
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: path.basename(relative) })
    .first()
    .waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: path.basename(relative) }).waitFor();
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

/** Shows the Problems panel (the shortcut toggles it, so only when it is hidden). */
async function showProblems(page) {
  if (!(await page.locator('.markers-panel').isVisible())) {
    await page.keyboard.press('Control+Shift+M');
  }
  await page.locator('.markers-panel').waitFor();
}

async function goToLine(page, line) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor();
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
}

async function editorText(page) {
  // Monaco renders spaces as non-breaking ones.
  const text = await page.locator('.editor-instance .monaco-editor .view-lines').first().innerText();
  return text.replace(/\u00a0/g, ' ');
}

function notification(page, text) {
  return page.locator('.notification-toast', { hasText: text }).first();
}

/**
 * Picks the code action matching `pattern` in the open action menu, with the keyboard.
 * `reopen` asks for the menu again when none opened: VS Code shows "No refactorings
 * available" instead of a menu when it asked before the server had analysed the file.
 */
async function chooseAction(page, pattern, reopen) {
  const firstRow = page.locator('.action-widget .monaco-list-row').first();
  for (let attempt = 1; ; attempt += 1) {
    try {
      await firstRow.waitFor({ timeout: 10_000 });
      break;
    } catch (error) {
      if (!reopen || attempt === 3) throw error;
      await page.keyboard.press('Escape');
      await reopen();
    }
  }
  for (let step = 0; step < 20; step += 1) {
    const focused = page.locator('.action-widget .monaco-list-row.focused');
    if ((await focused.count()) > 0 && pattern.test(await focused.first().innerText())) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no code action matches ${pattern}`);
}

/** Answers the open quick input: types `text` (when given) and presses Enter. */
async function answer(page, text, pick) {
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ timeout: 15_000 });
  if (text !== undefined) {
    await input.fill(text);
  }
  if (pick) {
    await page.locator('.quick-input-list .monaco-list-row', { hasText: pick }).first().waitFor();
    await input.fill(pick);
    await page.waitForTimeout(200);
  }
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
}

function filesUnder(root) {
  return existsSync(root) ? readdirSync(root, { recursive: true }).map(String) : [];
}

const read = (context, relative) => readFileSync(path.join(context.vscode.workspace, relative), 'utf8');

export const scenarios = [
  {
    id: '1-first-run',
    title:
      'first run from a bare Python: the setup action builds the private environment and the server starts',
    required: true,
    async run(context) {
      const { page } = context;
      const shot = steps(context, this.id);
      await openFile(page, 'app/schemas.py');
      const offer = notification(page, 'private environment');
      await offer.waitFor({ timeout: MINUTE });
      await shot('setup-offered');
      await offer.locator('a.monaco-button, .monaco-button', { hasText: 'Set up FastAPI Architect' }).click();
      await notification(page, 'setting up the language server').waitFor({ timeout: 15_000 });
      await shot('setting-up');
      const storage = path.join(
        context.vscode.userData,
        'User',
        'globalStorage',
        'fastapi-architect.fastapi-architect',
      );
      const started = await until(
        'the server to start from the private environment',
        () =>
          /Starting the language server: (\S+environments\S+) -m fastapi_architect serve/.exec(
            context.extensionLog(),
          ),
        6 * MINUTE,
      );
      if (!started[1].startsWith(storage)) {
        throw new Error(`the server started from ${started[1]}, not from ${storage}`);
      }
      const environments = readdirSync(path.join(storage, 'environments'));
      if (
        environments.length !== 1 ||
        !existsSync(path.join(storage, 'environments', environments[0], 'fastapi-architect-environment.json'))
      ) {
        throw new Error(`unexpected environments: ${JSON.stringify(environments)}`);
      }
      await shot('server-started');
    },
  },
  {
    id: '2-quick-fix',
    title: 'PYD001 appears in Problems and the quick fix rewrites the validator',
    async run(context) {
      const { page } = context;
      const shot = steps(context, this.id);
      await openFile(page, 'app/schemas.py');
      await showProblems(page);
      const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'PYD001' }).first();
      await problem.waitFor({ timeout: MINUTE });
      await shot('problems');
      await openFile(page, 'app/schemas.py');
      await goToLine(page, 7);
      await page.keyboard.press('Control+.');
      // The preferred quick fix is focused; the menu's pointer block swallows mouse clicks.
      const fix = page
        .locator('.action-widget .monaco-list-row.focused', { hasText: /field_validator/ })
        .first();
      await fix.waitFor({ timeout: 15_000 });
      await shot('quick-fix-menu');
      await page.keyboard.press('Enter');
      await until('the editor to show @field_validator', async () =>
        /@field_validator/.test(await editorText(page)),
      );
      await shot('fixed');
      await page.keyboard.press('Control+S');
      await until('the fixed file on disk', () =>
        /@field_validator\("name"\)/.test(read(context, 'app/schemas.py')),
      );
      await showProblems(page);
      await until(
        'PYD001 to leave Problems',
        async () =>
          (await page.locator('.markers-panel .monaco-list-row', { hasText: 'schemas.py' }).count()) === 0,
      );
      await shot('problems-cleared');
    },
  },
  {
    id: '3-fix-all-on-save',
    title: 'fix-all on save with "source.fixAll.fastapi-architect": "explicit"',
    async run(context) {
      const { page } = context;
      const shot = steps(context, this.id);
      await openFile(page, 'app/legacy.py');
      await showProblems(page);
      await page
        .locator('.markers-panel .monaco-list-row', { hasText: 'legacy.py' })
        .first()
        .waitFor({ timeout: MINUTE });
      await goToLine(page, 1);
      await page.keyboard.type('# Legacy models.\n');
      await shot('edited');
      await page.keyboard.press('Control+S');
      await until('the save to migrate the file', () =>
        /@field_validator\("name"\)/.test(read(context, 'app/legacy.py')),
      );
      const text = read(context, 'app/legacy.py');
      if (/@validator/.test(text) || !text.startsWith('# Legacy models.\n')) {
        throw new Error(`unexpected content after save:\n${text}`);
      }
      await shot('saved');
    },
  },
  {
    id: '4-new-project',
    title: 'New FastAPI Project through the palette prompts',
    async run(context) {
      const { page } = context;
      const shot = steps(context, this.id);
      await palette(page, 'FastAPI Architect: New FastAPI Project');
      // The folder dialog is a quick input (files.simpleDialog.enable): go into the workspace
      // folder, wait for its listing, and accept it with OK.
      const widget = page.locator('.quick-input-widget');
      await widget.filter({ hasText: '(1/6)' }).waitFor({ timeout: 15_000 });
      // The dialog writes its default folder into the input shortly after it opens; a path
      // typed before that gets the default prepended. Type until the input holds just ours.
      const folderInput = widget.locator('input.input');
      const wanted = `${context.vscode.workspace}/`;
      await until(
        'the folder typed into the dialog',
        async () => {
          await folderInput.fill(wanted);
          await page.waitForTimeout(300);
          return (await folderInput.inputValue()) === wanted;
        },
        15_000,
      );
      await widget.locator('.monaco-list-row', { hasText: '.vscode' }).first().waitFor({ timeout: 15_000 });
      await shot('folder');
      await widget.locator('.monaco-button', { hasText: 'OK' }).click();
      await widget.filter({ hasText: '(2/6)' }).waitFor({ timeout: 15_000 });
      await answer(page, 'shop-api');
      await shot('name');
      for (let step = 3; step <= 6; step += 1) {
        await page.locator('.quick-input-widget', { hasText: `(${step}/6)` }).waitFor({ timeout: 15_000 });
        await shot(`choice-${step}`);
        await page.keyboard.press('Enter');
      }
      const root = path.join(context.vscode.workspace, 'shop-api');
      await until('the project files', () => existsSync(path.join(root, 'app', 'main.py')), MINUTE);
      await until('every project file', () => filesUnder(root).length >= 30, MINUTE);
      await page.locator('.explorer-folders-view', { hasText: 'shop-api' }).waitFor({ timeout: 15_000 });
      await shot('created');
    },
  },
  {
    id: '6-depends-completion',
    title: 'Depends completion inserts session: SessionDep and adds its import',
    async run(context) {
      const { page } = context;
      const shot = steps(context, this.id);
      const relative = 'shop-api/app/api/v1/endpoints/reports.py';
      writeFileSync(
        path.join(context.vscode.workspace, relative),
        'from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.get("/reports")\ndef list_reports():\n    return []\n',
      );
      await openFile(page, relative);
      await page.waitForTimeout(1000);
      await page.locator('.tab.active', { hasText: 'reports.py' }).waitFor({ timeout: 1000 });
      await goToLine(page, 7);
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.type('sessi');
      await page.keyboard.press('Control+Space');
      const item = page
        .locator('.suggest-widget .monaco-list-row', { hasText: 'session: SessionDep' })
        .first();
      await item.waitFor({ timeout: 30_000 });
      await shot('suggestions');
      await item.click();
      await until('the parameter and its import in the editor', async () => {
        const text = await editorText(page);
        return /def list_reports\(session: SessionDep\)/.test(text) && /import SessionDep/.test(text);
      });
      await shot('inserted');
      await page.keyboard.press('Control+S');
    },
  },
  {
    id: '7-extract',
    title: 'Extract to service creates the service module',
    async run(context) {
      const { page } = context;
      const shot = steps(context, this.id);
      const root = path.join(context.vscode.workspace, 'shop-api');
      const relative = 'shop-api/app/api/v1/endpoints/stats.py';
      writeFileSync(
        path.join(context.vscode.workspace, relative),
        [
          'from fastapi import APIRouter',
          '',
          'router = APIRouter()',
          '',
          '',
          '@router.get("/stats")',
          'def read_stats(limit: int = 10) -> dict[str, int]:',
          '    values = [value * 2 for value in range(limit)]',
          '    total = sum(values)',
          '    return {"total": total, "count": len(values)}',
          '',
        ].join('\n'),
      );
      const before = new Set(filesUnder(path.join(root, 'app', 'services')));
      await openFile(page, relative);
      await goToLine(page, 8);
      await page.keyboard.press('Control+Shift+R');
      await shot('refactor-menu');
      await chooseAction(page, /Extract endpoint logic/, () => page.keyboard.press('Control+Shift+R'));
      const created = await until(
        'a new service module',
        () =>
          filesUnder(path.join(root, 'app', 'services')).find(
            (file) => file.endsWith('.py') && !before.has(file),
          ),
        MINUTE,
      );
      await until('the endpoint to call the service', async () => /service/i.test(await editorText(page)));
      await shot('extracted');
      context.log(`  created app/services/${created}`);
    },
  },
  {
    id: '5-add-resource',
    title: 'Add Resource adds the resource to the project of the active file',
    async run(context) {
      const { page } = context;
      const shot = steps(context, this.id);
      const root = path.join(context.vscode.workspace, 'shop-api');
      await openFile(page, 'shop-api/app/main.py');
      await palette(page, 'FastAPI Architect: Add Resource');
      await answer(page, 'order');
      // The access step: "Require a signed-in user (recommended)" is the first item.
      await page
        .locator('.quick-input-widget', { hasText: 'who may call the order endpoints' })
        .waitFor({ timeout: 15_000 });
      await shot('access');
      // Click the item: while the name box turns into this list, an Enter can find no active item.
      await page
        .locator('.quick-input-list .monaco-list-row', { hasText: 'Require a signed-in user' })
        .first()
        .click();
      await until(
        'the order resource files',
        () => filesUnder(path.join(root, 'app')).filter((file) => /order/.test(file)).length >= 3,
        MINUTE,
      );
      await until('the router to include the order endpoints', () =>
        /order/.test(readFileSync(path.join(root, 'app', 'api', 'v1', 'router.py'), 'utf8')),
      );
      await shot('added');
    },
  },
  {
    id: '8-migrate-workspace',
    title: 'Migrate Workspace reports its summary and rewrites unopened files',
    async run(context) {
      const { page } = context;
      const shot = steps(context, this.id);
      await palette(page, 'FastAPI Architect: Migrate Workspace to Pydantic V2');
      const confirm = page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Migrate' }).first();
      await confirm.waitFor({ timeout: 15_000 });
      await shot('confirm');
      await confirm.click();
      const summary = notification(page, 'Pydantic V2 migration');
      await summary.waitFor({ timeout: MINUTE });
      await shot('summary');
      await until('app/untouched.py to be migrated', () =>
        /@field_validator/.test(read(context, 'app/untouched.py')),
      );
    },
  },
  {
    id: '9-broken-interpreter',
    title: 'a broken interpreter setting gives a notification with Show Logs',
    async run(context) {
      const { page } = context;
      const shot = steps(context, this.id);
      writeFileSync(
        path.join(context.vscode.workspace, '.vscode', 'settings.json'),
        JSON.stringify({ 'fastapiArchitect.interpreter': ['/nonexistent/bin/python'] }, null, 2),
      );
      const error = notification(page, '/nonexistent/bin/python was not found');
      await error.waitFor({ timeout: MINUTE });
      await shot('notification');
      await error.locator('.monaco-button', { hasText: 'Show Logs' }).click();
      await page
        .locator('.output-view, .panel .monaco-editor', { hasText: 'was not found' })
        .first()
        .waitFor({ timeout: 15_000 });
      await shot('logs');
      // The restart stopped a healthy server: its exit is information, not an error.
      const log = await until('the exit of the stopped server in the log', () => {
        const text = context.extensionLog();
        return /Server process exited with code 0/.test(text) && text;
      });
      if (/\[error\].*exited with code 0/.test(log) || !/\[info\].*exited with code 0/.test(log)) {
        throw new Error('the clean stop of the server was not logged as information');
      }
    },
  },
];
