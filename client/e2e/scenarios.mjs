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
  return page.locator('.editor-instance .monaco-editor .view-lines').first().innerText();
}

function notification(page, text) {
  return page.locator('.notification-toast', { hasText: text }).first();
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
    },
  },
];
