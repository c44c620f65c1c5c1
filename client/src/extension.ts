/** Activation only: wires the output channel, the server manager and the palette commands. */
import * as vscode from 'vscode';
import { DISPLAY_NAME } from './common/constants';
import { createLanguageClient } from './common/languageClient';
import { registerPaletteCommands } from './common/palette';
import { checkServerInstalled } from './common/preflight';
import { loadPythonEnvironments } from './common/pythonExtension';
import { ServerManager } from './common/server';

let manager: ServerManager | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel(DISPLAY_NAME, { log: true });
  manager = new ServerManager({
    output,
    createClient: createLanguageClient,
    loadPythonEnvironments: () => loadPythonEnvironments((message) => output.warn(message)),
    preflight: (interpreter, cwd) => checkServerInstalled(interpreter, { cwd }),
    serverCwd: context.extensionPath,
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
