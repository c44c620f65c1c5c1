/**
 * What the user sees when the server cannot start, with the buttons that fix it: install the
 * package into the interpreter, choose another interpreter, or read the logs.
 */
import * as vscode from 'vscode';
import { DISPLAY_NAME, PYTHON_EXTENSION_ID, SERVER_DISTRIBUTION } from './constants';
import { errorMessage } from './errors';
import type { PreflightResult } from './preflight';
import { settingId } from './settings';

/** The task type of the install task (declared in package.json `taskDefinitions`). */
export const TASK_TYPE = 'fastapiArchitect';

/** The pip command that installs the server (the bundled wheel when there is one) into `interpreter`. */
export function installCommand(interpreter: string[], wheel?: string): string[] {
  return [...interpreter, '-m', 'pip', 'install', wheel ?? SERVER_DISTRIBUTION];
}

/** A command line for messages, quoting parts with spaces. */
export function commandLine(parts: string[]): string {
  return parts.map((part) => (/\s/.test(part) ? JSON.stringify(part) : part)).join(' ');
}

/** The message for a failed preflight, and the buttons offered with it. */
export function describeProblem(
  problem: Exclude<PreflightResult, { status: 'ok' }>,
  interpreter: string[],
  wheel?: string,
): { message: string; actions: string[] } {
  const python = commandLine(interpreter);
  switch (problem.status) {
    case 'package-missing':
      return {
        message:
          `${DISPLAY_NAME}: the language server is not installed for ${python} (Python ${problem.pythonVersion}). ` +
          `Install it with: ${commandLine(installCommand(interpreter, wheel))}`,
        actions: ['Install', 'Select Interpreter', 'Show Logs'],
      };
    case 'interpreter-missing':
      return {
        message:
          `${DISPLAY_NAME}: Python interpreter ${python} was not found. Select an interpreter ` +
          `or set "${settingId('interpreter')}".`,
        actions: ['Select Interpreter', 'Open Settings', 'Show Logs'],
      };
    case 'failed':
      return {
        message: `${DISPLAY_NAME}: cannot start the language server: ${problem.detail}`,
        actions: ['Show Logs', 'Select Interpreter'],
      };
  }
}

export interface ProblemActions {
  output: vscode.LogOutputChannel;
  /** Starts the server again (after an install). */
  restart(reason: string): Promise<unknown>;
  /** The bundled server wheel, installed instead of the package index's `fastapi-architect`. */
  wheel?: string;
}

/** Shows `problem` without blocking the caller; a clicked button runs its action. */
export function reportStartProblem(
  problem: Exclude<PreflightResult, { status: 'ok' }>,
  interpreter: string[],
  actions: ProblemActions,
): void {
  const { message, actions: buttons } = describeProblem(problem, interpreter, actions.wheel);
  actions.output.error(message);
  void vscode.window.showErrorMessage(message, ...buttons).then(async (chosen) => {
    try {
      await runProblemAction(chosen, interpreter, actions);
    } catch (error) {
      actions.output.error(`${chosen ?? 'action'} failed: ${errorMessage(error)}`);
    }
  });
}

/** Runs the button the user clicked on a start-up problem. */
export async function runProblemAction(
  chosen: string | undefined,
  interpreter: string[],
  actions: ProblemActions,
): Promise<void> {
  switch (chosen) {
    case 'Install':
      if (await installServer(interpreter, actions.output, actions.wheel)) {
        await actions.restart(`${SERVER_DISTRIBUTION} was installed`);
      }
      return;
    case 'Select Interpreter':
      if (vscode.extensions.getExtension(PYTHON_EXTENSION_ID)) {
        // The Python extension's change event restarts the server.
        await vscode.commands.executeCommand('python.setInterpreter');
      } else {
        await vscode.commands.executeCommand('workbench.action.openSettings', settingId('interpreter'));
      }
      return;
    case 'Open Settings':
      await vscode.commands.executeCommand('workbench.action.openSettings', settingId('interpreter'));
      return;
    case 'Show Logs':
      actions.output.show();
      return;
    default:
      return;
  }
}

/**
 * Runs `pip install fastapi-architect` as a task the user can watch; true when it succeeded.
 * If tasks cannot run here, the command is copied to the clipboard with instructions.
 */
export async function installServer(
  interpreter: string[],
  output: vscode.LogOutputChannel,
  wheel?: string,
): Promise<boolean> {
  const [program, ...args] = installCommand(interpreter, wheel);
  const line = commandLine(installCommand(interpreter, wheel));
  output.info(`Running ${line}`);
  try {
    const task = new vscode.Task(
      { type: TASK_TYPE, task: 'install' },
      vscode.workspace.workspaceFolders?.[0] ?? vscode.TaskScope.Workspace,
      `install ${SERVER_DISTRIBUTION}`,
      DISPLAY_NAME,
      new vscode.ProcessExecution(program as string, args),
    );
    const ended = new Promise<number | undefined>((resolve) => {
      const subscription = vscode.tasks.onDidEndTaskProcess((event) => {
        if (event.execution.task.definition.type === TASK_TYPE) {
          subscription.dispose();
          resolve(event.exitCode);
        }
      });
    });
    await vscode.tasks.executeTask(task);
    const exitCode = await ended;
    if (exitCode === 0) {
      return true;
    }
    void vscode.window.showErrorMessage(
      `${DISPLAY_NAME}: "${line}" failed (exit code ${exitCode ?? 'unknown'}); see the terminal. ` +
        'A virtual environment of your project is usually the right interpreter.',
    );
    return false;
  } catch (error) {
    output.error(`The install task could not run: ${errorMessage(error)}`);
    await vscode.env.clipboard.writeText(line);
    void vscode.window.showErrorMessage(
      `${DISPLAY_NAME}: run "${line}" in a terminal (copied to the clipboard), then "FastAPI Architect: Restart Language Server".`,
    );
    return false;
  }
}
