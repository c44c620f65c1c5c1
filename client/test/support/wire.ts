/**
 * A minimal LSP client over stdio for the wire tests: spawns the real server with the
 * command line the extension builds, records what the server shows and logs, and answers
 * the server's requests the way VS Code would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  ApplyWorkspaceEditRequest,
  ConfigurationRequest,
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  LogMessageNotification,
  RegistrationRequest,
  ShowDocumentRequest,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgressCreateRequest,
  createProtocolConnection,
  type ClientCapabilities,
  type InitializeResult,
  type LogMessageParams,
  type ProtocolConnection,
  type ShowMessageParams,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildServerLaunch } from '../../src/common/serverCommand';

export const clientDir = path.resolve(__dirname, '..', '..', '..');

/** `$FASTAPI_ARCHITECT_PYTHON`, else the repository's `.venv` (made by the root Makefile). */
export function serverPython(): string | undefined {
  const fromEnv = process.env.FASTAPI_ARCHITECT_PYTHON;
  if (fromEnv) {
    return fromEnv;
  }
  const venv = path.join(clientDir, '..', '.venv');
  const candidate =
    process.platform === 'win32'
      ? path.join(venv, 'Scripts', 'python.exe')
      : path.join(venv, 'bin', 'python');
  return existsSync(candidate) ? candidate : undefined;
}

/** What VS Code 1.85 with vscode-languageclient 9 announces, in the parts the server reads. */
export function vscodeCapabilities(resourceOperations = true): ClientCapabilities {
  return {
    workspace: {
      applyEdit: true,
      workspaceEdit: {
        documentChanges: true,
        resourceOperations: resourceOperations ? ['create', 'rename', 'delete'] : undefined,
        changeAnnotationSupport: { groupsOnLabel: true },
      },
      didChangeConfiguration: { dynamicRegistration: true },
      executeCommand: { dynamicRegistration: true },
      configuration: true,
      workspaceFolders: true,
    },
    textDocument: {
      synchronization: { dynamicRegistration: true, didSave: true },
      completion: { completionItem: { snippetSupport: true } },
      codeAction: {
        dataSupport: true,
        disabledSupport: true,
        isPreferredSupport: true,
        resolveSupport: { properties: ['edit'] },
        codeActionLiteralSupport: {
          codeActionKind: {
            valueSet: [
              '',
              'quickfix',
              'refactor',
              'refactor.extract',
              'source',
              'source.fixAll',
              'source.organizeImports',
            ],
          },
        },
      },
      publishDiagnostics: {
        dataSupport: true,
        tagSupport: { valueSet: [1, 2] },
        codeDescriptionSupport: true,
      },
    },
    window: { workDoneProgress: true, showMessage: {}, showDocument: { support: true } },
    general: { positionEncodings: ['utf-16'] },
  };
}

export interface SessionOptions {
  python: string;
  workspace: string;
  initializationOptions: unknown;
  /** Answers `workspace/configuration` for the section (as vscode-languageclient does). */
  configuration?: unknown;
  resourceOperations?: boolean;
}

export class Session {
  readonly messages: ShowMessageParams[] = [];
  readonly logs: LogMessageParams[] = [];
  readonly stderr: string[] = [];
  /** Every `workspace/applyEdit` the server sent (and that was applied to the files). */
  readonly appliedEdits: WorkspaceEdit[] = [];
  initializeResult!: InitializeResult;
  private exited: Promise<number | null>;

  private constructor(
    readonly connection: ProtocolConnection,
    readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  /** Spawns `<python> -m fastapi_architect serve`, initializes it, sends `initialized`. */
  static async start(options: SessionOptions): Promise<Session> {
    const launch = buildServerLaunch([], [options.python]);
    const child = spawn(launch.command, launch.args, { cwd: clientDir, stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(
      new StreamMessageReader(child.stdout!),
      new StreamMessageWriter(child.stdin!),
    );
    const session = new Session(connection, child);
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => session.stderr.push(chunk));
    connection.onNotification(ShowMessageNotification.type, (params) => session.messages.push(params));
    connection.onNotification(LogMessageNotification.type, (params) => session.logs.push(params));
    connection.onRequest(RegistrationRequest.type, () => null);
    connection.onRequest(WorkDoneProgressCreateRequest.type, () => null);
    connection.onRequest(ShowDocumentRequest.type, () => ({ success: true }));
    connection.onRequest(ApplyWorkspaceEditRequest.type, (params) => {
      try {
        applyWorkspaceEdit(params.edit);
        session.appliedEdits.push(params.edit);
        return { applied: true };
      } catch (error) {
        return { applied: false, failureReason: String(error) };
      }
    });
    connection.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map(() => options.configuration ?? null),
    );
    connection.onNotification('$/progress', () => undefined);
    connection.listen();
    const rootUri = pathToFileURL(options.workspace).href;
    session.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      clientInfo: { name: 'Visual Studio Code', version: '1.85.0' },
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(options.workspace) }],
      capabilities: vscodeCapabilities(options.resourceOperations ?? true),
      initializationOptions: options.initializationOptions,
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return session;
  }

  /** `shutdown`, then `exit`; resolves the server's exit code. */
  async close(): Promise<number | null> {
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000));
    const code = await Promise.race([this.exited, timeout]);
    this.connection.dispose();
    if (code === 'timeout') {
      this.child.kill();
      throw new Error('the server did not exit within 10 s after shutdown/exit');
    }
    return code;
  }

  /** Messages of `window/showMessage` at Warning or Error level. */
  problems(): string[] {
    return this.messages.filter((message) => message.type <= 2).map((message) => message.message);
  }
}

/** Applies `edits` (UTF-16 positions, as JavaScript strings count) to `text`. */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let index = 0; index < text.length; index += 1) {
    if (text[index] === '\n') {
      lineStarts.push(index + 1);
    }
  }
  const offset = (position: { line: number; character: number }): number =>
    position.line >= lineStarts.length
      ? text.length
      : Math.min((lineStarts[position.line] as number) + position.character, text.length);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of sorted) {
    result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  }
  return result;
}

/** Does to the files on disk what VS Code does with a workspace edit for closed documents. */
export function applyWorkspaceEdit(edit: WorkspaceEdit): void {
  const editFile = (uri: string, edits: TextEdit[]): void => {
    const file = fileURLToPath(uri);
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    writeFileSync(file, applyTextEdits(text, edits));
  };
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      if (change.kind === 'create') {
        const file = fileURLToPath(change.uri);
        if (existsSync(file) && !change.options?.overwrite) {
          if (change.options?.ignoreIfExists) {
            continue;
          }
          throw new Error(`${file} exists`);
        }
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, '');
      } else if (change.kind === 'rename') {
        renameSync(fileURLToPath(change.oldUri), fileURLToPath(change.newUri));
      } else {
        rmSync(fileURLToPath(change.uri), { recursive: true, force: true });
      }
    } else {
      editFile(change.textDocument.uri, change.edits);
    }
  }
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
    editFile(uri, edits);
  }
}
