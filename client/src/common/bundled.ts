/**
 * The server the extension brings along: the wheel packaged in the VSIX (`server/*.whl`) and the
 * private virtual environment it is installed into, in the extension's global storage.
 *
 * One environment per (server version, Python minor version), so an extension update gets a
 * fresh one and an older one is removed once the new one works. An environment counts as ready
 * only when its marker file names the server version and its interpreter imports that version;
 * anything else in its folder is broken and gets rebuilt.
 */
import { promises as fs, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { SERVER_DISTRIBUTION } from './constants';
import type { PreflightResult, ProcessOutcome, ProcessRunner } from './preflight';

/** The folder of the VSIX that holds the server wheel. */
export const WHEEL_FOLDER = 'server';

/** The oldest Python the server supports (its `requires-python`). */
export const MINIMUM_PYTHON: readonly [number, number] = [3, 10];

/** The file written into an environment once the server is installed in it. */
export const MARKER_FILE = 'fastapi-architect-environment.json';

export interface BundledWheel {
  path: string;
  version: string;
}

/** The version in a wheel file name (`fastapi_architect-0.1.0-py3-none-any.whl` → `0.1.0`). */
export function wheelVersion(fileName: string): string | undefined {
  const prefix = `${SERVER_DISTRIBUTION.replace(/-/g, '_')}-`;
  if (!fileName.startsWith(prefix) || !fileName.endsWith('.whl')) {
    return undefined;
  }
  const version = fileName.slice(prefix.length).split('-')[0];
  return version ? version : undefined;
}

/** The server wheel packaged with the extension, or undefined when there is none. */
export function findBundledWheel(extensionPath: string): BundledWheel | undefined {
  const folder = path.join(extensionPath, WHEEL_FOLDER);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return undefined;
  }
  for (const name of names.sort().reverse()) {
    const version = wheelVersion(name);
    if (version) {
      return { path: path.join(folder, name), version };
    }
  }
  return undefined;
}

/** `3.12.1` → `[3, 12]`; undefined for anything else. */
export function parsePythonVersion(version: string): [number, number] | undefined {
  const match = /^(\d+)\.(\d+)/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** True for a Python the server runs on. */
export function supportsServer(pythonVersion: string): boolean {
  const parsed = parsePythonVersion(pythonVersion);
  if (!parsed) {
    return false;
  }
  const [major, minor] = parsed;
  return major > MINIMUM_PYTHON[0] || (major === MINIMUM_PYTHON[0] && minor >= MINIMUM_PYTHON[1]);
}

/** The folder of the environment for this server version and Python (`3.12.1` → `py3.12`). */
export function environmentFolder(storage: string, serverVersion: string, pythonVersion: string): string {
  const [major, minor] = parsePythonVersion(pythonVersion) ?? [0, 0];
  return path.join(storage, 'environments', `${SERVER_DISTRIBUTION}-${serverVersion}-py${major}.${minor}`);
}

/** The interpreter inside a virtual environment. */
export function environmentPython(folder: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32'
    ? path.join(folder, 'Scripts', 'python.exe')
    : path.join(folder, 'bin', 'python');
}

export type EnvironmentState = 'ready' | 'missing' | 'broken';

/** Whether the environment in `folder` runs `serverVersion` (checked with `probe`). */
export async function inspectEnvironment(
  folder: string,
  serverVersion: string,
  probe: (interpreter: string[]) => Promise<PreflightResult>,
  platform: NodeJS.Platform = process.platform,
): Promise<EnvironmentState> {
  try {
    await fs.access(folder);
  } catch {
    return 'missing';
  }
  if ((await markerVersion(folder)) !== serverVersion) {
    return 'broken';
  }
  const result = await probe([environmentPython(folder, platform)]);
  return result.status === 'ok' && result.version === serverVersion ? 'ready' : 'broken';
}

/** True when an environment of another server version exists: the user set one up before. */
export async function hasOtherEnvironment(storage: string, folder: string): Promise<boolean> {
  return (await environmentsBesides(storage, folder)).length > 0;
}

async function environmentsBesides(storage: string, folder: string): Promise<string[]> {
  const parent = path.join(storage, 'environments');
  try {
    const names = await fs.readdir(parent);
    return names
      .filter((name) => name.startsWith(`${SERVER_DISTRIBUTION}-`) && !name.endsWith('.lock'))
      .map((name) => path.join(parent, name))
      .filter((candidate) => candidate !== folder);
  } catch {
    return [];
  }
}

export interface SetupPlan {
  /** The Python the environment is created with (≥ 3.10). */
  basePython: string[];
  folder: string;
  wheel: BundledWheel;
  /** `uv` on PATH, used instead of venv + pip when set. */
  uv?: string;
  platform?: NodeJS.Platform;
}

/**
 * The commands that create the environment and install the wheel into it. Dependencies come
 * from the user's configured index: pip reads its config files, `PIP_*` variables and proxies
 * itself; uv reads `UV_*` variables and proxies (see `uvEnvironment`).
 */
export function setupCommands(plan: SetupPlan): string[][] {
  const python = environmentPython(plan.folder, plan.platform);
  if (plan.uv) {
    return [
      [plan.uv, 'venv', '--python', plan.basePython[0] as string, plan.folder],
      [plan.uv, 'pip', 'install', '--python', python, plan.wheel.path],
    ];
  }
  return [
    [...plan.basePython, '-m', 'venv', plan.folder],
    [python, '-m', 'pip', 'install', '--disable-pip-version-check', plan.wheel.path],
  ];
}

/** The environment uv runs with: pip's index variables carried over where uv's are unset. */
export function uvEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const result = { ...env };
  const pairs: [string, string][] = [
    ['PIP_INDEX_URL', 'UV_INDEX_URL'],
    ['PIP_EXTRA_INDEX_URL', 'UV_EXTRA_INDEX_URL'],
    ['PIP_FIND_LINKS', 'UV_FIND_LINKS'],
  ];
  for (const [pip, uv] of pairs) {
    if (env[pip] && !env[uv]) {
      result[uv] = env[pip];
    }
  }
  return result;
}

/** A shell line for messages, quoting parts with spaces. */
export function shellLine(commands: string[][]): string {
  return commands
    .map((parts) => parts.map((part) => (/[\s"']/.test(part) ? JSON.stringify(part) : part)).join(' '))
    .join(' && ');
}

const NETWORK_FAILURE = [
  /No matching distribution found/i,
  /Could not find a version that satisfies/i,
  /Failed to establish a new connection/i,
  /Temporary failure in name resolution/i,
  /Network is unreachable/i,
  /Connection (refused|reset|timed out)/i,
  /ProxyError/i,
  /Max retries exceeded/i,
  /Failed to fetch/i,
  /dns error/i,
];

/** True when an install failed because a dependency could not be downloaded. */
export function isNetworkFailure(output: string): boolean {
  return NETWORK_FAILURE.some((pattern) => pattern.test(output));
}

export type SetupResult =
  | { status: 'ok'; python: string }
  | { status: 'offline' | 'failed'; detail: string; manualCommand: string };

export interface SetupDeps {
  run: ProcessRunner;
  /** Reports each step for the progress notification. */
  report?: (message: string) => void;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** How often a setup waiting for another window's setup looks again. */
  lockPollMs?: number;
}

/** A setup lock older than this is left over from a crash and taken over. */
export const STALE_LOCK_MS = 15 * 60_000;

/**
 * Takes the setup lock of `folder` (a directory next to it, created atomically). While another
 * window holds it, waits; returns false when that setup finished with a ready environment.
 */
async function acquireSetupLock(folder: string, serverVersion: string, pollMs: number): Promise<boolean> {
  const lock = `${folder}.lock`;
  let waited = false;
  for (;;) {
    try {
      await fs.mkdir(lock);
      if (waited && (await markerVersion(folder)) === serverVersion) {
        await fs.rm(lock, { recursive: true, force: true });
        return false;
      }
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
    }
    const age = await fs.stat(lock).then(
      (stat) => Date.now() - stat.mtimeMs,
      () => 0,
    );
    if (age > STALE_LOCK_MS) {
      await fs.rm(lock, { recursive: true, force: true });
      continue;
    }
    waited = true;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

async function markerVersion(folder: string): Promise<unknown> {
  try {
    return (
      JSON.parse(await fs.readFile(path.join(folder, MARKER_FILE), 'utf8')) as { serverVersion?: unknown }
    ).serverVersion;
  } catch {
    return undefined;
  }
}

/**
 * Creates the environment from scratch (a broken one is removed first), installs the wheel,
 * writes the marker, and then removes the environments of other server versions. One window
 * at a time: a second one waits for the first and uses its environment.
 */
export async function setUpEnvironment(plan: SetupPlan, deps: SetupDeps): Promise<SetupResult> {
  await fs.mkdir(path.dirname(plan.folder), { recursive: true });
  if (!(await acquireSetupLock(plan.folder, plan.wheel.version, deps.lockPollMs ?? 1000))) {
    // Another window set it up meanwhile.
    return { status: 'ok', python: environmentPython(plan.folder, plan.platform) };
  }
  try {
    return await buildEnvironment(plan, deps);
  } finally {
    await fs.rm(`${plan.folder}.lock`, { recursive: true, force: true });
  }
}

async function buildEnvironment(plan: SetupPlan, deps: SetupDeps): Promise<SetupResult> {
  const commands = setupCommands(plan);
  const manualCommand = shellLine(commands);
  await fs.rm(plan.folder, { recursive: true, force: true });
  const steps = ['Creating a virtual environment', `Installing ${SERVER_DISTRIBUTION} ${plan.wheel.version}`];
  const env = plan.uv ? uvEnvironment(deps.env ?? process.env) : (deps.env ?? process.env);
  for (const [index, [program, ...args]] of commands.entries()) {
    deps.report?.(steps[index] ?? '');
    const outcome = await deps.run(program as string, args, {
      timeoutMs: deps.timeoutMs ?? 600_000,
      env,
    });
    if (outcome.spawnError || outcome.exitCode !== 0) {
      await fs.rm(plan.folder, { recursive: true, force: true });
      const text = `${outcome.stdout}\n${outcome.stderr}`;
      return {
        status: isNetworkFailure(text) ? 'offline' : 'failed',
        detail: failureDetail(program as string, outcome),
        manualCommand,
      };
    }
  }
  await fs.writeFile(
    path.join(plan.folder, MARKER_FILE),
    JSON.stringify({ serverVersion: plan.wheel.version, basePython: plan.basePython }, null, 2),
  );
  for (const old of await environmentsBesides(path.dirname(path.dirname(plan.folder)), plan.folder)) {
    if (path.basename(old).startsWith(`${SERVER_DISTRIBUTION}-${plan.wheel.version}-`)) {
      continue; // The same server for another Python: still in use by other projects.
    }
    await fs.rm(old, { recursive: true, force: true }).catch(() => undefined);
  }
  return { status: 'ok', python: environmentPython(plan.folder, plan.platform) };
}

function failureDetail(program: string, outcome: ProcessOutcome): string {
  if (outcome.spawnError) {
    return `${program} could not be started (${outcome.spawnError})`;
  }
  const lines = `${outcome.stderr}\n${outcome.stdout}`
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !/^WARNING:/.test(line));
  const errorLine = lines.find((line) => /^ERROR:|^error:/i.test(line)) ?? lines[lines.length - 1];
  return `${path.basename(program)} failed (exit code ${outcome.exitCode ?? 'none'})${errorLine ? `: ${errorLine}` : ''}`;
}
