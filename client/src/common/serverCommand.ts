/** The command line that starts the language server over stdio. */
import { SERVER_MODULE } from './constants';

export interface ServerLaunch {
  command: string;
  args: string[];
  /**
   * True when the server runs as `<python> -m fastapi_architect`, so the extension can check
   * that the package is installed in that interpreter before starting it.
   */
  runsModule: boolean;
}

/**
 * `fastapiArchitect.server.command` when set (used as is), else
 * `<interpreter...> -m fastapi_architect serve`.
 */
export function buildServerLaunch(override: string[], interpreter: string[]): ServerLaunch {
  const [program, ...programArgs] = override;
  if (program) {
    return { command: program, args: programArgs, runsModule: false };
  }
  const [python, ...pythonArgs] = interpreter;
  if (!python) {
    throw new Error('no Python interpreter to start the language server with');
  }
  return { command: python, args: [...pythonArgs, '-m', SERVER_MODULE, 'serve'], runsModule: true };
}

/** The launch as one line for the log, quoting parts that contain spaces. */
export function describeLaunch(launch: ServerLaunch): string {
  return [launch.command, ...launch.args]
    .map((part) => (/\s/.test(part) || part === '' ? JSON.stringify(part) : part))
    .join(' ');
}
