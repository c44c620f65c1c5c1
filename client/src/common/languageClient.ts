/** Builds the vscode-languageclient `LanguageClient` for a server launch. */
import type * as vscode from 'vscode';
import {
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  type Executable,
  type LanguageClientOptions,
} from 'vscode-languageclient/node';
import { CLIENT_ID, DISPLAY_NAME, DOCUMENT_SELECTOR, SECTION } from './constants';
import type { ServerLaunch } from './serverCommand';
import type { ServerSettings } from './settings';
import type { ClientFactory, ClientRequest } from './server';

/** How the server process is started: over stdio, in `request.cwd`. */
export function buildServerOptions(launch: ServerLaunch, cwd: string): Executable {
  return {
    command: launch.command,
    args: launch.args,
    transport: TransportKind.stdio,
    options: { cwd, env: { ...process.env, PYTHONUNBUFFERED: '1' } },
  };
}

/** What the client sends and listens to. */
export function buildClientOptions(
  initializationOptions: ServerSettings,
  output: vscode.LogOutputChannel,
): LanguageClientOptions {
  return {
    documentSelector: DOCUMENT_SELECTOR,
    initializationOptions,
    // Pushes the whole section with workspace/didChangeConfiguration on every change.
    synchronize: { configurationSection: SECTION },
    outputChannel: output,
    traceOutputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };
}

/** The line vscode-languageclient logs as an error whenever the server process exits with 0. */
export function isCleanExitMessage(message: string): boolean {
  return /^Server process exited with code 0\.?$/.test(message.trim());
}

/**
 * A `LanguageClient` that logs a clean exit of the server (code 0, after `shutdown` and `exit`
 * on stop or restart) as information: it is how a stop is meant to end, not an error.
 */
export class FastApiArchitectClient extends LanguageClient {
  override error(message: string, data?: unknown, showNotification: boolean | 'force' = true): void {
    if (isCleanExitMessage(message)) {
      this.info(message, data, false);
      return;
    }
    super.error(message, data, showNotification);
  }
}

/** The factory the extension uses; tests pass their own. */
export const createLanguageClient: ClientFactory = (request: ClientRequest) =>
  new FastApiArchitectClient(
    CLIENT_ID,
    DISPLAY_NAME,
    buildServerOptions(request.launch, request.cwd),
    buildClientOptions(request.initializationOptions, request.output),
  );
