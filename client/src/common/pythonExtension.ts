/**
 * The Python extension (`ms-python.python`) as a source of the active interpreter.
 *
 * Only the small part of its public API that we use is typed here, so the extension works
 * with and without the Python extension installed, and with its older API generations.
 */
import * as vscode from 'vscode';
import { PYTHON_EXTENSION_ID } from './constants';
import { errorMessage } from './errors';
import type { PythonEnvironments } from './interpreter';

type Resource = vscode.Uri | undefined;

/** The subset of the Python extension's exported API that we call. */
export interface PythonExtensionApi {
  ready?: Promise<void>;
  environments?: {
    getActiveEnvironmentPath(resource?: Resource): { id: string; path: string };
    resolveEnvironment(
      environment: { id: string; path: string } | string,
    ): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
    onDidChangeActiveEnvironmentPath: vscode.Event<unknown>;
  };
  settings?: {
    getExecutionDetails?(resource?: Resource): { execCommand: string[] | undefined };
    onDidChangeExecutionDetails?: vscode.Event<unknown>;
  };
}

/** The Python extension's environments, with a change event for restarts. */
export interface PythonExtensionEnvironments extends PythonEnvironments {
  /** Fires when the user selects another interpreter. */
  onDidChangeInterpreter(listener: () => void): vscode.Disposable;
}

/** Wraps the Python extension's API; `resource` is a folder or file path. */
export function pythonEnvironmentsFromApi(api: PythonExtensionApi): PythonExtensionEnvironments {
  return {
    async activeInterpreter(resource?: string): Promise<string[] | undefined> {
      await api.ready;
      const uri = resource ? vscode.Uri.file(resource) : undefined;
      if (api.environments) {
        const active = api.environments.getActiveEnvironmentPath(uri);
        const resolved = await api.environments.resolveEnvironment(active);
        const executable = resolved?.executable.uri?.fsPath;
        if (executable) {
          return [executable];
        }
      }
      const details = api.settings?.getExecutionDetails?.(uri);
      return details?.execCommand && details.execCommand.length > 0 ? details.execCommand : undefined;
    },
    onDidChangeInterpreter(listener: () => void): vscode.Disposable {
      const event =
        api.environments?.onDidChangeActiveEnvironmentPath ?? api.settings?.onDidChangeExecutionDetails;
      return event ? event(() => listener()) : new vscode.Disposable(() => undefined);
    },
  };
}

/**
 * The Python extension's environments, activating it if needed; undefined when it is not
 * installed or fails to activate (the reason goes to `log`).
 */
export async function loadPythonEnvironments(
  log: (message: string) => void,
): Promise<PythonExtensionEnvironments | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION_ID);
  if (!extension) {
    return undefined;
  }
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    return api ? pythonEnvironmentsFromApi(api) : undefined;
  } catch (error) {
    log(`The Python extension could not be activated: ${errorMessage(error)}`);
    return undefined;
  }
}
