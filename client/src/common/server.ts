/**
 * Starts, stops and restarts the language server, one operation at a time.
 *
 * Start: read the settings, choose the interpreter and probe it. With the bundled server (the
 * default) an interpreter that has the same server version runs it; otherwise the private
 * environment does, once it is set up (see `setup.ts`). With `server.environment: interpreter`
 * the interpreter must have the package (else explain and offer to install). Then start a
 * language client with the server's settings as `initializationOptions`. Restarts follow
 * interpreter, environment and start-command changes.
 */
import * as vscode from 'vscode';
import type { CancellationToken, ProtocolRequestType } from 'vscode-languageserver-protocol';
import { ExecuteCommandRequest } from 'vscode-languageserver-protocol';
import { DISPLAY_NAME, SECTION } from './constants';
import { ServerNotRunningError, errorMessage } from './errors';
import { resolveInterpreter, expandCommand, type Interpreter } from './interpreter';
import type { PreflightResult } from './preflight';
import { reportStartProblem } from './problems';
import { SET_UP_ACTION, runSetupWithProgress, setupOffer, type BundledServer } from './setup';
import type { PythonExtensionEnvironments } from './pythonExtension';
import { RestartScheduler, followsPythonExtension, settingsChangeNeedsRestart } from './restart';
import { buildServerLaunch, describeLaunch, type ServerLaunch } from './serverCommand';
import { readClientSettings, readServerSettings, type ServerSettings } from './settings';

/** The part of vscode-languageclient's `LanguageClient` the manager uses. */
export interface ManagedClient {
  start(): Promise<void>;
  stop(timeout?: number): Promise<void>;
  isRunning(): boolean;
  sendRequest<P, R, PR, E, RO>(
    type: ProtocolRequestType<P, R, PR, E, RO>,
    params: P,
    token?: CancellationToken,
  ): Promise<R>;
}

export interface ClientRequest {
  launch: ServerLaunch;
  initializationOptions: ServerSettings;
  output: vscode.LogOutputChannel;
  cwd: string;
}

export type ClientFactory = (request: ClientRequest) => ManagedClient;

export interface ServerManagerDeps {
  output: vscode.LogOutputChannel;
  createClient: ClientFactory;
  loadPythonEnvironments: () => Promise<PythonExtensionEnvironments | undefined>;
  preflight: (interpreter: string[], cwd: string) => Promise<PreflightResult>;
  /**
   * The server's working directory: the extension's own folder, so files in the user's
   * workspace (a `pydantic.py`, say) cannot shadow the server's imports via `python -m`.
   */
  serverCwd: string;
  /** Milliseconds a burst of restart triggers is coalesced over. */
  restartDelayMs?: number;
  /** The server packaged with the extension (undefined in a build without its wheel). */
  bundled?: BundledServer;
}

export type ServerState = 'stopped' | 'starting' | 'running' | 'failed';

export class ServerManager implements vscode.Disposable {
  private client: ManagedClient | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private python: Promise<PythonExtensionEnvironments | undefined> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly scheduler: RestartScheduler;
  private stateValue: ServerState = 'stopped';

  constructor(private readonly deps: ServerManagerDeps) {
    this.scheduler = new RestartScheduler((reason) => this.restart(reason), deps.restartDelayMs);
  }

  /** Where the server is in its life; `failed` after a start that could not happen. */
  get state(): ServerState {
    return this.stateValue;
  }

  /** Starts the server unless it runs; resolves true when it is running. */
  start(): Promise<boolean> {
    return this.enqueue(async () => {
      if (this.client?.isRunning()) {
        return true;
      }
      await this.stopNow();
      return this.startNow();
    });
  }

  /**
   * True when the server runs, once any start in progress is done; otherwise one more start
   * is tried (the user may have installed the package meanwhile), which explains any failure.
   */
  async ensureRunning(): Promise<boolean> {
    await this.queue;
    return this.client?.isRunning() ? true : this.start();
  }

  /** Stops the server if it runs. */
  stop(): Promise<void> {
    return this.enqueue(() => this.stopNow());
  }

  /** Stops and starts the server; `reason` goes to the log. */
  restart(reason: string): Promise<boolean> {
    return this.enqueue(async () => {
      this.deps.output.info(`Restarting the language server: ${reason}`);
      await this.stopNow();
      return this.startNow();
    });
  }

  /** Restarts the server when a start-related setting or the workspace trust changes. */
  watchForRestarts(): vscode.Disposable {
    const subscription = vscode.workspace.onDidChangeConfiguration((change) => {
      if (settingsChangeNeedsRestart(change)) {
        this.scheduler.schedule('the interpreter or server command setting changed');
      }
    });
    // Trusting the workspace makes its interpreter and server command settings count.
    const trust = vscode.workspace.onDidGrantWorkspaceTrust(() =>
      this.scheduler.schedule('the workspace is trusted now'),
    );
    const both = vscode.Disposable.from(subscription, trust);
    this.disposables.push(both);
    return both;
  }

  /** Runs a server command (`workspace/executeCommand`) once any start in progress is done. */
  async executeServerCommand(command: string, args: unknown[]): Promise<unknown> {
    await this.queue;
    const client = this.client;
    if (!client || !client.isRunning()) {
      throw new ServerNotRunningError();
    }
    return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
  }

  dispose(): void {
    this.scheduler.dispose();
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
    void this.stop();
  }

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(operation, operation);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Starts a client; any unexpected failure is reported and answered with false. */
  private async startNow(): Promise<boolean> {
    try {
      return await this.startClient();
    } catch (error) {
      this.stateValue = 'failed';
      const message = `The language server could not be started: ${errorMessage(error)}`;
      this.deps.output.error(message);
      void vscode.window.showErrorMessage(`FastAPI Architect: ${message}`);
      return false;
    }
  }

  private async startClient(): Promise<boolean> {
    const { output } = this.deps;
    this.stateValue = 'starting';
    const config = vscode.workspace.getConfiguration(SECTION);
    const clientSettings = readClientSettings(config);
    const workspaceFolder = firstWorkspaceFolder();
    let launch: ServerLaunch;
    if (clientSettings.serverCommand.length > 0) {
      launch = buildServerLaunch(expandCommand(clientSettings.serverCommand, { workspaceFolder }), []);
      output.info(`Using ${SECTION}.server.command: ${describeLaunch(launch)}`);
    } else {
      const interpreter = await this.chooseInterpreter(clientSettings.interpreter, workspaceFolder);
      const check = await this.deps.preflight(interpreter.command, this.deps.serverCwd);
      const bundled = clientSettings.serverEnvironment === 'bundled' ? this.deps.bundled : undefined;
      let python = interpreter.command;
      if (bundled && !(check.status === 'ok' && check.version === bundled.version)) {
        const environment = await this.bundledEnvironment(bundled, interpreter.command, check);
        if (!environment) {
          this.stateValue = 'failed';
          return false;
        }
        python = [environment];
      } else if (check.status !== 'ok') {
        this.stateValue = 'failed';
        reportStartProblem(check, interpreter.command, {
          output,
          restart: (reason) => this.restart(reason),
          wheel: this.deps.bundled?.wheel.path,
        });
        return false;
      } else {
        output.info(`fastapi-architect ${check.version} on Python ${check.pythonVersion}`);
      }
      launch = buildServerLaunch([], python);
    }
    output.info(`Starting the language server: ${describeLaunch(launch)}`);
    const client = this.deps.createClient({
      launch,
      initializationOptions: readServerSettings(config),
      output,
      cwd: this.deps.serverCwd,
    });
    try {
      await client.start();
    } catch (error) {
      this.stateValue = 'failed';
      const message = `The language server did not start: ${errorMessage(error)}`;
      output.error(message);
      void vscode.window
        .showErrorMessage(`FastAPI Architect: ${message}`, 'Show Logs')
        .then((chosen) => chosen === 'Show Logs' && output.show());
      await client.stop().catch(() => undefined);
      return false;
    }
    this.client = client;
    this.stateValue = 'running';
    return true;
  }

  /**
   * The interpreter of the private environment that runs the bundled server, once it is ready:
   * reused when it works, repaired when broken, rebuilt after an update. The first setup waits
   * for the user's click (it downloads dependencies); undefined until then.
   */
  private async bundledEnvironment(
    bundled: BundledServer,
    interpreter: string[],
    check: PreflightResult,
  ): Promise<string | undefined> {
    const { output } = this.deps;
    if (check.status === 'interpreter-missing' || check.status === 'failed') {
      reportStartProblem(check, interpreter, { output, restart: (reason) => this.restart(reason) });
      return undefined;
    }
    const base = await bundled.basePython(interpreter, check);
    if (!base) {
      const message =
        `${DISPLAY_NAME} needs Python 3.10 or newer for its language server; ` +
        `${interpreter.join(' ')} is Python ${check.pythonVersion} and none was found on PATH.`;
      reportStartProblem({ status: 'failed', detail: message }, interpreter, {
        output,
        restart: (reason) => this.restart(reason),
      });
      return undefined;
    }
    const choice = await bundled.inspect(base);
    if (choice.state === 'ready') {
      output.info(`fastapi-architect ${bundled.version} in ${choice.folder} (Python ${base.version})`);
      return choice.python;
    }
    if (choice.state === 'broken' || choice.setUpBefore) {
      return (await runSetupWithProgress(bundled, choice, output)) ? choice.python : undefined;
    }
    output.info(`No environment runs fastapi-architect ${bundled.version} yet: offering to set one up`);
    void vscode.window.showInformationMessage(setupOffer(base), SET_UP_ACTION).then(async (chosen) => {
      if (chosen === SET_UP_ACTION && (await runSetupWithProgress(bundled, choice, output))) {
        await this.restart('the language server was set up');
      }
    });
    return undefined;
  }

  private async stopNow(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.stateValue = 'stopped';
    if (client) {
      try {
        await client.stop(2000);
      } catch (error) {
        this.deps.output.warn(`Stopping the language server: ${errorMessage(error)}`);
      }
    }
  }

  private async chooseInterpreter(setting: string[], workspaceFolder?: string): Promise<Interpreter> {
    const python = setting.length === 0 ? await this.pythonEnvironments() : undefined;
    const interpreter = await resolveInterpreter(setting, {
      workspaceFolder,
      resource: workspaceFolder,
      python,
    });
    const origin = {
      setting: `the ${SECTION}.interpreter setting`,
      'python-extension': 'the Python extension',
      path: 'PATH',
    }[interpreter.source];
    this.deps.output.info(`Python interpreter: ${interpreter.command.join(' ')} (from ${origin})`);
    return interpreter;
  }

  /** Loads the Python extension's environments once, and restarts when its choice changes. */
  private pythonEnvironments(): Promise<PythonExtensionEnvironments | undefined> {
    if (!this.python) {
      this.python = this.deps.loadPythonEnvironments().then((environments) => {
        if (environments) {
          this.disposables.push(
            environments.onDidChangeInterpreter(() => {
              const settings = readClientSettings(vscode.workspace.getConfiguration(SECTION));
              if (followsPythonExtension(settings)) {
                this.scheduler.schedule('the Python extension selected another interpreter');
              }
            }),
          );
        }
        return environments;
      });
    }
    return this.python;
  }
}

function firstWorkspaceFolder(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.find((candidate) => candidate.uri.scheme === 'file');
  return folder?.uri.fsPath;
}
