// Drives the packaged extension in a real VS Code: code-server 4.96.4 (VS Code 1.96.4) on
// 127.0.0.1 with throwaway user-data, extensions and workspace folders, and Debian's headless
// Chromium through playwright-core. Every step saves a screenshot under e2e/results/.
//   node e2e/run.mjs PATH.vsix [scenario ...]
// Environment: CS_HOME (code-server install cache), CHROMIUM (default /usr/bin/chromium),
// E2E_KEEP=1 keeps the throwaway folders for inspection.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { WORKSPACE_FILES, scenarios } from './scenarios.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const vsix = process.argv[2];
const only = process.argv.slice(3);
if (!vsix || !existsSync(vsix)) {
  console.error('usage: node e2e/run.mjs PATH.vsix [scenario ...]  (build it with `make vsix`)');
  process.exit(2);
}

const CS_HOME =
  process.env.CS_HOME ?? path.join(os.homedir(), '.cache', 'fastapi-architect-e2e', 'code-server');
const CODE_SERVER = path.join(CS_HOME, 'node_modules', '.bin', 'code-server');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const RESULTS = path.join(here, 'results');

/** Installs code-server into the cache once (the script exits at once when it is there). */
function ensureCodeServer() {
  const started = Date.now();
  const result = spawnSync('bash', [path.join(here, 'install-code-server.sh')], {
    env: { ...process.env, CS_HOME },
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    throw new Error('installing code-server failed (see above)');
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium, or set CHROMIUM`);
  }
  log(`code-server ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function log(message) {
  console.log(`[e2e ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * PATH without any virtual environment or the repository's .venv: the first run must find a
 * bare Python with no server installed anywhere.
 */
function barePath() {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((entry) => entry && !/\.venv|virtualenv|\/venvs?\//.test(entry))
    .join(path.delimiter);
}

function writeTree(root, files) {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** One code-server with throwaway folders, stopped by its process group id. */
async function startVsCode(tmp, environment) {
  const userData = path.join(tmp, 'user-data');
  const extensions = path.join(tmp, 'extensions');
  const workspace = path.join(tmp, 'workspace');
  writeTree(workspace, WORKSPACE_FILES);
  writeTree(userData, {
    'User/settings.json': JSON.stringify(
      {
        'security.workspace.trust.enabled': false,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'extensions.ignoreRecommendations': true,
        'update.mode': 'none',
        'telemetry.telemetryLevel': 'off',
        'files.simpleDialog.enable': true,
        'editor.codeActionsOnSave': { 'source.fixAll.fastapi-architect': 'explicit' },
        'window.dialogStyle': 'custom',
      },
      null,
      2,
    ),
  });
  const install = spawnSync(
    CODE_SERVER,
    ['--install-extension', path.resolve(vsix), '--extensions-dir', extensions, '--user-data-dir', userData],
    { env: environment, encoding: 'utf8' },
  );
  if (install.status !== 0) {
    throw new Error(`installing the VSIX failed: ${install.stdout}${install.stderr}`);
  }
  const port = await freePort();
  const logFile = path.join(tmp, 'code-server.log');
  const out = (await import('node:fs')).openSync(logFile, 'w');
  const child = spawn(
    CODE_SERVER,
    [
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-workspace-trust',
      '--disable-telemetry',
      '--disable-update-check',
      '--user-data-dir',
      userData,
      '--extensions-dir',
      extensions,
      workspace,
    ],
    { env: environment, stdio: ['ignore', out, out], detached: true },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) {
        break;
      }
    } catch {
      // Not listening yet.
    }
    if (attempt > 300 || child.exitCode !== null) {
      throw new Error(`code-server did not start; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url: `${url}/?folder=${encodeURIComponent(workspace)}`,
    userData,
    workspace,
    logFile,
    /** Stops code-server and every process under it (the extension host and the language server). */
    async stop() {
      const pids = [child.pid, ...descendants(child.pid)];
      for (const signal of ['SIGTERM', 'SIGKILL']) {
        for (const pid of pids) {
          try {
            process.kill(pid, signal);
          } catch {
            // Already gone.
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 1500));
      }
    },
  };
}

/** The ids of every process below `pid`, from /proc. */
function descendants(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended meanwhile.
    }
  }
  const found = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const next of children.get(queue.shift()) ?? []) {
      found.push(next);
      queue.push(next);
    }
  }
  return found;
}

/** The extension's own log (its LogOutputChannel), found under the user-data logs. */
export function extensionLog(userData) {
  const logs = path.join(userData, 'logs');
  if (!existsSync(logs)) {
    return '';
  }
  const found = readdirSync(logs, { recursive: true })
    .map(String)
    .filter((name) => name.endsWith('FastAPI Architect.log'));
  return found.map((name) => readFileSync(path.join(logs, name), 'utf8')).join('\n');
}

async function main() {
  ensureCodeServer();
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });
  const environment = { ...process.env, PATH: barePath() };
  delete environment.VIRTUAL_ENV;
  delete environment.PYTHONPATH;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'fa-e2e-'));
  const vscode = await startVsCode(tmp, environment);
  log(`code-server at ${vscode.url}`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  const failures = [];
  const started = Date.now();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(vscode.url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const context = {
      page,
      vscode,
      results: RESULTS,
      log,
      extensionLog: () => extensionLog(vscode.userData),
    };
    for (const scenario of scenarios) {
      if (only.length > 0 && !only.includes(scenario.id)) {
        continue;
      }
      const scenarioStart = Date.now();
      log(`scenario ${scenario.id}: ${scenario.title}`);
      try {
        await scenario.run(context);
        log(`  ok (${((Date.now() - scenarioStart) / 1000).toFixed(1)} s)`);
      } catch (error) {
        failures.push(scenario.id);
        log(`  FAILED: ${error instanceof Error ? error.stack : error}`);
        await page
          .screenshot({ path: path.join(RESULTS, `${scenario.id}-failure.png`) })
          .catch(() => undefined);
        if (scenario.required) {
          break;
        }
      }
    }
  } finally {
    await browser.close().catch(() => undefined);
    await vscode.stop();
    writeFileSync(path.join(RESULTS, 'extension.log'), extensionLog(vscode.userData));
    if (existsSync(vscode.logFile)) {
      writeFileSync(path.join(RESULTS, 'code-server.log'), readFileSync(vscode.logFile));
    }
    if (process.env.E2E_KEEP) {
      log(`kept ${tmp}`);
    } else {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  log(`scenarios took ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${RESULTS}`);
  if (failures.length > 0) {
    log(`failed: ${failures.join(', ')}`);
    process.exit(1);
  }
}

await main();
