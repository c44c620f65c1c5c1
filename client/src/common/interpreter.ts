/**
 * Which Python runs the language server.
 *
 * In order: the `fastapiArchitect.interpreter` setting; else the active environment of the
 * Python extension (when installed); else `python3` / `python` found on `PATH`.
 */
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Where the interpreter came from, for the log and for restart decisions. */
export type InterpreterSource = 'setting' | 'python-extension' | 'path';

export interface Interpreter {
  /** The interpreter and any arguments of its own, e.g. `["py", "-3.12"]`. */
  command: string[];
  source: InterpreterSource;
}

/** The active environment of the Python extension, if it has one. */
export interface PythonEnvironments {
  /** The interpreter command of the environment active for `resource`, or undefined. */
  activeInterpreter(resource?: string): Promise<string[] | undefined>;
}

export interface InterpreterContext {
  /** The first workspace folder's path, for `${workspaceFolder}` and relative paths. */
  workspaceFolder?: string;
  /** The folder of the active document (passed to the Python extension). */
  resource?: string;
  /** The Python extension's environments, when it is installed. */
  python?: PythonEnvironments;
  /** Finds an executable on `PATH` (injectable for tests). */
  findOnPath?: (name: string) => Promise<string | undefined>;
  platform?: NodeJS.Platform;
  homeDir?: string;
}

/** Names tried on `PATH` when nothing else chose an interpreter. */
export function defaultInterpreterNames(platform: NodeJS.Platform): string[] {
  return platform === 'win32' ? ['python', 'py', 'python3'] : ['python3', 'python'];
}

/** Decides the interpreter command; never throws (a missing one shows up at start-up). */
export async function resolveInterpreter(
  setting: string[],
  context: InterpreterContext = {},
): Promise<Interpreter> {
  if (setting.length > 0) {
    return { command: expandCommand(setting, context), source: 'setting' };
  }
  if (context.python) {
    try {
      const active = await context.python.activeInterpreter(context.resource);
      if (active && active.length > 0 && active[0]) {
        return { command: active, source: 'python-extension' };
      }
    } catch {
      // The Python extension failed to answer: fall through to PATH.
    }
  }
  const platform = context.platform ?? process.platform;
  const find = context.findOnPath ?? ((name: string) => findOnPath(name, process.env, platform));
  const names = defaultInterpreterNames(platform);
  for (const name of names) {
    const found = await find(name);
    if (found) {
      return { command: [found], source: 'path' };
    }
  }
  return { command: [names[0] as string], source: 'path' };
}

/**
 * Expands `${workspaceFolder}`, `${userHome}` and a leading `~` in every part, and makes a
 * relative interpreter path (`.venv/bin/python`) absolute against the workspace folder.
 */
export function expandCommand(command: string[], context: InterpreterContext): string[] {
  const home = context.homeDir ?? os.homedir();
  const folder = context.workspaceFolder;
  const expanded = command.map((part) => {
    let result = part.replace(/\$\{userHome\}/g, home);
    if (folder !== undefined) {
      result = result.replace(/\$\{workspaceFolder\}/g, folder);
    }
    if (result === '~' || result.startsWith('~/') || result.startsWith('~\\')) {
      result = home + result.slice(1);
    }
    return result;
  });
  const [program, ...rest] = expanded;
  if (program !== undefined && folder !== undefined && isRelativePath(program)) {
    return [path.resolve(folder, program), ...rest];
  }
  return expanded;
}

/** A path with a directory part that is not absolute (`.venv/bin/python`, not `python3`). */
function isRelativePath(program: string): boolean {
  return /[\\/]/.test(program) && !path.isAbsolute(program) && !path.win32.isAbsolute(program);
}

/** The full path of `name` on `env.PATH`, or undefined. */
export async function findOnPath(
  name: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
): Promise<string | undefined> {
  const pathValue = env.PATH ?? env.Path ?? '';
  const separator = platform === 'win32' ? ';' : ':';
  const extensions =
    platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean) : [''];
  for (const directory of pathValue.split(separator).filter(Boolean)) {
    for (const extension of extensions) {
      const candidate = path.join(directory, name + extension);
      try {
        await fs.access(candidate, platform === 'win32' ? fsConstants.F_OK : fsConstants.X_OK);
        const stat = await fs.stat(candidate);
        if (stat.isFile()) {
          return candidate;
        }
      } catch {
        // Not here: try the next directory.
      }
    }
  }
  return undefined;
}
