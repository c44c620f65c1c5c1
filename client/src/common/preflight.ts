/**
 * Checks, before starting the server, that the chosen interpreter exists and has the
 * `fastapi-architect` package, so the user gets a clear message instead of a crashed server.
 */
import { spawn } from 'node:child_process';
import { SERVER_DISTRIBUTION, SERVER_MODULE } from './constants';

export type PreflightResult =
  | { status: 'ok'; version: string; pythonVersion: string }
  | { status: 'interpreter-missing'; detail: string }
  | { status: 'package-missing'; pythonVersion: string }
  | { status: 'failed'; detail: string };

/** Exit code of the probe when the package cannot be found. */
const PACKAGE_MISSING_EXIT = 3;

/** Runs in the interpreter: prints the Python version and the package version, or exits 3. */
export const PROBE_SCRIPT = [
  'import importlib.util, sys',
  'print("%d.%d.%d" % sys.version_info[:3])',
  `if importlib.util.find_spec(${JSON.stringify(SERVER_MODULE)}) is None: sys.exit(${PACKAGE_MISSING_EXIT})`,
  'try:',
  '    from importlib.metadata import version',
  `    print(version(${JSON.stringify(SERVER_DISTRIBUTION)}))`,
  'except Exception:',
  '    print("unknown")',
].join('\n');

export interface ProcessOutcome {
  /** The spawn error code (`ENOENT`, `EACCES`) when the program could not be started. */
  spawnError?: string;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export type ProcessRunner = (
  command: string,
  args: string[],
  options: { cwd?: string; timeoutMs: number; env?: NodeJS.ProcessEnv },
) => Promise<ProcessOutcome>;

/** Probes `interpreter` (the command and its own arguments). */
export async function checkServerInstalled(
  interpreter: string[],
  options: { cwd?: string; timeoutMs?: number; run?: ProcessRunner } = {},
): Promise<PreflightResult> {
  const [python, ...pythonArgs] = interpreter;
  if (!python) {
    return { status: 'interpreter-missing', detail: 'no interpreter configured' };
  }
  const run = options.run ?? runProcess;
  const outcome = await run(python, [...pythonArgs, '-c', PROBE_SCRIPT], {
    cwd: options.cwd,
    timeoutMs: options.timeoutMs ?? 20_000,
  });
  return interpretProbe(python, outcome);
}

/** The preflight result of one probe run. */
export function interpretProbe(python: string, outcome: ProcessOutcome): PreflightResult {
  if (outcome.spawnError === 'ENOENT') {
    return { status: 'interpreter-missing', detail: `${python} was not found` };
  }
  if (outcome.spawnError) {
    return { status: 'failed', detail: `${python} could not be started (${outcome.spawnError})` };
  }
  const lines = outcome.stdout.split(/\r?\n/).filter((line) => line.trim().length > 0);
  const pythonVersion = lines[0]?.trim() ?? 'unknown';
  if (outcome.exitCode === PACKAGE_MISSING_EXIT) {
    return { status: 'package-missing', pythonVersion };
  }
  if (outcome.exitCode !== 0) {
    const detail = outcome.stderr.trim().split(/\r?\n/).slice(-1)[0] || `exit code ${outcome.exitCode}`;
    return { status: 'failed', detail: `${python} failed: ${detail}` };
  }
  return { status: 'ok', pythonVersion, version: lines[1]?.trim() ?? 'unknown' };
}

/** Runs a process to completion with a timeout, collecting its output. */
export const runProcess: ProcessRunner = (command, args, options) =>
  new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (outcome: ProcessOutcome): void => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      }
    };
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => {
      child.kill();
      finish({ exitCode: null, stdout, stderr: `${stderr}\ntimed out after ${options.timeoutMs} ms` });
    }, options.timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      finish({ spawnError: error.code ?? error.message, exitCode: null, stdout, stderr }),
    );
    child.on('close', (exitCode) => finish({ exitCode, stdout, stderr }));
  });
