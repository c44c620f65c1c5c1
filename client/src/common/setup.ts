/**
 * "Set up FastAPI Architect": picks a Python ≥ 3.10, finds or builds the private environment for
 * the bundled server, and tells the user what to run by hand when that cannot be done here.
 */
import * as vscode from 'vscode';
import {
  environmentFolder,
  environmentPython,
  hasOtherEnvironment,
  inspectEnvironment,
  setUpEnvironment,
  supportsServer,
  type BundledWheel,
  type EnvironmentState,
  type SetupResult,
} from './bundled';
import { DISPLAY_NAME, SERVER_DISTRIBUTION } from './constants';
import type { PreflightResult, ProcessRunner } from './preflight';

/** The action offered when no environment runs the bundled server yet. */
export const SET_UP_ACTION = 'Set up FastAPI Architect';

/** Interpreter names tried on PATH when the chosen one is older than 3.10. */
export function basePythonCandidates(platform: NodeJS.Platform): string[] {
  const versioned = ['python3.14', 'python3.13', 'python3.12', 'python3.11', 'python3.10'];
  return platform === 'win32' ? ['python', 'py', 'python3'] : [...versioned, 'python3', 'python'];
}

export interface BasePython {
  command: string[];
  version: string;
}

export interface BundledServerDeps {
  wheel: BundledWheel;
  /** The extension's global storage folder. */
  storage: string;
  probe: (interpreter: string[]) => Promise<PreflightResult>;
  run: ProcessRunner;
  findOnPath: (name: string) => Promise<string | undefined>;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
}

export interface EnvironmentChoice {
  base: BasePython;
  folder: string;
  python: string;
  state: EnvironmentState;
  /** An environment of another server version exists: the user agreed to one before. */
  setUpBefore: boolean;
}

/** The bundled server's environments, for one wheel. */
export class BundledServer {
  constructor(private readonly deps: BundledServerDeps) {}

  get version(): string {
    return this.deps.wheel.version;
  }

  get wheel(): BundledWheel {
    return this.deps.wheel;
  }

  /**
   * The Python to build the environment with: the chosen interpreter when it is ≥ 3.10,
   * else the first such Python on PATH; undefined when there is none.
   */
  async basePython(chosen: string[], chosenCheck: PreflightResult): Promise<BasePython | undefined> {
    const chosenVersion = 'pythonVersion' in chosenCheck ? chosenCheck.pythonVersion : undefined;
    if (chosenVersion && supportsServer(chosenVersion)) {
      return { command: chosen, version: chosenVersion };
    }
    const seen = new Set<string>([chosen.join(' ')]);
    for (const name of basePythonCandidates(this.deps.platform ?? process.platform)) {
      const found = await this.deps.findOnPath(name);
      if (!found || seen.has(found)) {
        continue;
      }
      seen.add(found);
      const check = await this.deps.probe([found]);
      if ('pythonVersion' in check && supportsServer(check.pythonVersion)) {
        return { command: [found], version: check.pythonVersion };
      }
    }
    return undefined;
  }

  /** Where the environment for `base` lives and whether it is ready. */
  async inspect(base: BasePython): Promise<EnvironmentChoice> {
    const folder = environmentFolder(this.deps.storage, this.version, base.version);
    const platform = this.deps.platform ?? process.platform;
    return {
      base,
      folder,
      python: environmentPython(folder, platform),
      state: await inspectEnvironment(folder, this.version, this.deps.probe, platform),
      setUpBefore: await hasOtherEnvironment(this.deps.storage, folder),
    };
  }

  /** Builds the environment, reporting its steps. */
  async setUp(choice: EnvironmentChoice, report: (message: string) => void): Promise<SetupResult> {
    const uv = await this.deps.findOnPath(this.deps.platform === 'win32' ? 'uv.exe' : 'uv');
    return setUpEnvironment(
      {
        basePython: choice.base.command,
        folder: choice.folder,
        wheel: this.deps.wheel,
        uv,
        platform: this.deps.platform,
      },
      { run: this.deps.run, report, env: this.deps.env },
    );
  }
}

/** The message for a setup that did not work, with the exact command to run by hand. */
export function describeSetupFailure(result: Exclude<SetupResult, { status: 'ok' }>): string {
  const reason =
    result.status === 'offline'
      ? `the server's dependencies could not be downloaded (no network, or no package index reachable): ${result.detail}`
      : result.detail;
  return (
    `${DISPLAY_NAME}: setting up the language server failed: ${reason}. ` +
    `Run this in a terminal, then "${DISPLAY_NAME}: Restart Language Server": ${result.manualCommand}`
  );
}

/** The message offering the setup. */
export function setupOffer(base: BasePython): string {
  return (
    `${DISPLAY_NAME} runs its language server in a private environment. ` +
    `Set it up now with Python ${base.version} (${base.command.join(' ')})? ` +
    `This installs ${SERVER_DISTRIBUTION} and its dependencies from your package index.`
  );
}

/** Runs the setup under a progress notification; true when the environment is ready. */
export async function runSetupWithProgress(
  bundled: BundledServer,
  choice: EnvironmentChoice,
  output: vscode.LogOutputChannel,
): Promise<boolean> {
  const action = choice.state === 'broken' ? 'Repairing' : 'Setting up';
  output.info(
    `${action} the language server's environment in ${choice.folder} (Python ${choice.base.version})`,
  );
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `${DISPLAY_NAME}: ${action.toLowerCase()} the language server`,
    },
    (progress) =>
      bundled.setUp(choice, (message) => {
        output.info(message);
        progress.report({ message });
      }),
  );
  if (result.status === 'ok') {
    output.info(`The language server is installed in ${choice.folder}`);
    return true;
  }
  const message = describeSetupFailure(result);
  output.error(message);
  void vscode.window.showErrorMessage(message, 'Copy Command', 'Show Logs').then(async (chosen) => {
    if (chosen === 'Copy Command') {
      await vscode.env.clipboard.writeText(result.manualCommand);
    } else if (chosen === 'Show Logs') {
      output.show();
    }
  });
  return false;
}
