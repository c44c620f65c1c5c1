/** Activation only: wires the output channel, the server manager and the palette commands. */
import * as vscode from 'vscode';
import { DISPLAY_NAME } from './common/constants';
import { createLanguageClient } from './common/languageClient';
import { registerPaletteCommands } from './common/palette';
import { findBundledWheel } from './common/bundled';
import { findOnPath } from './common/interpreter';
import { checkServerInstalled, runProcess } from './common/preflight';
import { loadPythonEnvironments } from './common/pythonExtension';
import { ServerManager } from './common/server';
import { BundledServer } from './common/setup';

let manager: ServerManager | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel(DISPLAY_NAME, { log: true });
  const wheel = findBundledWheel(context.extensionPath);
  if (!wheel) {
    output.warn('This build of the extension carries no server wheel: the interpreter must have one.');
  }
  const bundled =
    wheel &&
    new BundledServer({
      wheel,
      storage: context.globalStorageUri.fsPath,
      probe: (interpreter) => checkServerInstalled(interpreter, { cwd: context.extensionPath }),
      run: runProcess,
      findOnPath: (name) => findOnPath(name, process.env, process.platform),
    });
  manager = new ServerManager({
    output,
    createClient: createLanguageClient,
    loadPythonEnvironments: () => loadPythonEnvironments((message) => output.warn(message)),
    preflight: (interpreter, cwd) => checkServerInstalled(interpreter, { cwd }),
    serverCwd: context.extensionPath,
    bundled,
  });
  context.subscriptions.push(
    output,
    manager,
    manager.watchForRestarts(),
    ...registerPaletteCommands({ server: manager, output }),
  );
  await manager.start();
}

export async function deactivate(): Promise<void> {
  await manager?.stop();
  manager = undefined;
}
