/**
 * A stand-in for the `vscode` module: enough of the API for the extension's modules, with
 * scripted answers for prompts and a record of what the extension showed and registered.
 * `register.ts` makes `require('vscode')` return this module.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/* ----------------------------------------------------------------- basic types */

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly fsPath: string,
  ) {}

  static file(fsPath: string): Uri {
    return new Uri('file', path.resolve(fsPath));
  }

  static untitled(name: string): Uri {
    return new Uri('untitled', name);
  }

  get path(): string {
    return this.fsPath;
  }

  toString(): string {
    return `${this.scheme}://${this.fsPath}`;
  }
}

export class Disposable {
  constructor(private readonly callOnDispose: () => unknown) {}

  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }

  dispose(): void {
    this.callOnDispose();
  }
}

type Listener<T> = (value: T) => unknown;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];

  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.push(listener);
    return new Disposable(() => {
      this.listeners = this.listeners.filter((candidate) => candidate !== listener);
    });
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      listener(value);
    }
  }

  get listenerCount(): number {
    return this.listeners.length;
  }

  dispose(): void {
    this.listeners = [];
  }
}

export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}

export enum TaskScope {
  Global = 1,
  Workspace = 2,
}

export class ProcessExecution {
  constructor(
    readonly process: string,
    readonly args: string[],
  ) {}
}

export class Task {
  constructor(
    readonly definition: { type: string; [key: string]: unknown },
    readonly scope: unknown,
    readonly name: string,
    readonly source: string,
    readonly execution: ProcessExecution,
  ) {}
}

// Classes vscode-languageclient extends or references when it is loaded.
export class CompletionItem {}
export class CodeLens {}
export class DocumentLink {}
export class CodeAction {}
export class Diagnostic {}
export class CallHierarchyItem {}
export class TypeHierarchyItem {}
export class SymbolInformation {}
export class InlayHint {}
export class CancellationError extends Error {}

/* ----------------------------------------------------------------- recorded state */

export interface ShownMessage {
  level: 'info' | 'warning' | 'error';
  message: string;
  items: string[];
  modal: boolean;
}

export interface Prompt {
  kind: 'inputBox' | 'quickPick' | 'openDialog';
  options: Record<string, unknown>;
  items?: { label: string }[];
  /** For input boxes: what `validateInput` said about the scripted answer. */
  validation?: string | undefined;
}

export class FakeOutputChannel {
  readonly lines: string[] = [];
  shown = 0;

  constructor(readonly name: string) {}

  private add(level: string, message: string): void {
    this.lines.push(`[${level}] ${message}`);
  }

  trace(message: string): void {
    this.add('trace', message);
  }
  debug(message: string): void {
    this.add('debug', message);
  }
  info(message: string): void {
    this.add('info', message);
  }
  warn(message: string): void {
    this.add('warn', message);
  }
  error(message: string | Error): void {
    this.add('error', String(message));
  }
  append(value: string): void {
    this.add('raw', value);
  }
  appendLine(value: string): void {
    this.add('raw', value);
  }
  replace(value: string): void {
    this.lines.splice(0, this.lines.length, value);
  }
  clear(): void {
    this.lines.splice(0);
  }
  show(): void {
    this.shown += 1;
  }
  hide(): void {}
  dispose(): void {}
}

/** Defaults of every contributed setting, from package.json (as VS Code would apply them). */
export const packageJson = JSON.parse(
  readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8'),
) as {
  contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
};

const contributedDefaults: Record<string, unknown> = Object.fromEntries(
  Object.entries(packageJson.contributes.configuration.properties).map(([key, schema]) => [
    key,
    schema.default,
  ]),
);

export interface TaskEnd {
  execution: { task: Task };
  exitCode: number | undefined;
}

/** Everything a test scripts or inspects; `reset()` before each test. */
export const stub = {
  /** User settings by full id (`fastapiArchitect.interpreter`); unset ids use package.json defaults. */
  settings: {} as Record<string, unknown>,
  workspaceFolders: undefined as { uri: Uri; name: string; index: number }[] | undefined,
  activeFile: undefined as string | undefined,
  answers: {
    inputBox: [] as (string | undefined)[],
    quickPick: [] as (string | undefined)[],
    openDialog: [] as (string | undefined)[],
    message: [] as (string | undefined)[],
  },
  prompts: [] as Prompt[],
  messages: [] as ShownMessage[],
  statusBar: [] as string[],
  progress: [] as string[],
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  executedCommands: [] as { id: string; args: unknown[] }[],
  extensions: new Map<string, unknown>(),
  outputChannels: [] as FakeOutputChannel[],
  tasks: [] as Task[],
  /** Exit code the next executed task ends with (undefined: never ends). */
  taskExitCode: 0 as number | undefined,
  /** When set, `tasks.executeTask` throws it. */
  taskError: undefined as Error | undefined,
  clipboard: '',
  configurationChanged: new EventEmitter<{ affectsConfiguration(section: string): boolean }>(),
  trustGranted: new EventEmitter<void>(),
  taskEnded: new EventEmitter<TaskEnd>(),

  reset(): void {
    this.settings = {};
    this.workspaceFolders = undefined;
    this.activeFile = undefined;
    this.answers = { inputBox: [], quickPick: [], openDialog: [], message: [] };
    this.prompts = [];
    this.messages = [];
    this.statusBar = [];
    this.progress = [];
    this.commands.clear();
    this.executedCommands = [];
    this.extensions.clear();
    this.outputChannels = [];
    this.tasks = [];
    this.taskExitCode = 0;
    this.taskError = undefined;
    this.clipboard = '';
    this.configurationChanged.dispose();
    this.trustGranted.dispose();
    this.taskEnded.dispose();
  },

  /** Opens these folders as the workspace. */
  setWorkspaceFolders(folders: string[]): void {
    this.workspaceFolders = folders.map((folder, index) => ({
      uri: Uri.file(folder),
      name: path.basename(folder),
      index,
    }));
  },

  /** Changes settings and fires `onDidChangeConfiguration` for them. */
  changeSettings(changes: Record<string, unknown>): void {
    Object.assign(this.settings, changes);
    const ids = Object.keys(changes);
    this.configurationChanged.fire({
      affectsConfiguration: (section: string) =>
        ids.some((id) => id === section || id.startsWith(`${section}.`) || section.startsWith(`${id}.`)),
    });
  },

  /** The messages shown at `level`. */
  shown(level?: ShownMessage['level']): string[] {
    return this.messages.filter((m) => !level || m.level === level).map((m) => m.message);
  },
};

/* ----------------------------------------------------------------- namespaces */

function showMessage(level: ShownMessage['level']) {
  return async (message: string, ...rest: unknown[]): Promise<string | undefined> => {
    const options =
      typeof rest[0] === 'object' && rest[0] !== null ? (rest.shift() as { modal?: boolean }) : {};
    const items = rest.map((item) => (typeof item === 'string' ? item : (item as { title: string }).title));
    stub.messages.push({ level, message, items, modal: Boolean(options.modal) });
    const answer = stub.answers.message.shift();
    if (answer !== undefined && !items.includes(answer)) {
      throw new Error(`scripted answer ${JSON.stringify(answer)} is not one of ${JSON.stringify(items)}`);
    }
    return answer;
  };
}

export const window = {
  createOutputChannel(name: string): FakeOutputChannel {
    const channel = new FakeOutputChannel(name);
    stub.outputChannels.push(channel);
    return channel;
  },
  showInformationMessage: showMessage('info'),
  showWarningMessage: showMessage('warning'),
  showErrorMessage: showMessage('error'),
  async showInputBox(options: Record<string, unknown>): Promise<string | undefined> {
    const prompt: Prompt = { kind: 'inputBox', options };
    stub.prompts.push(prompt);
    const answer = stub.answers.inputBox.shift();
    const validate = options.validateInput as ((value: string) => unknown) | undefined;
    if (answer !== undefined && validate) {
      const verdict = (await validate(answer)) as string | undefined | null;
      prompt.validation = verdict ?? undefined;
      if (verdict) {
        // VS Code keeps the box open on invalid input: a script with such an answer is wrong.
        throw new Error(`input box rejected ${JSON.stringify(answer)}: ${verdict}`);
      }
    }
    return answer;
  },
  async showQuickPick<T extends { label: string }>(
    items: T[] | Promise<T[]>,
    options: Record<string, unknown> = {},
  ): Promise<T | undefined> {
    const resolved = await items;
    stub.prompts.push({ kind: 'quickPick', options, items: resolved });
    const answer = stub.answers.quickPick.shift();
    if (answer === undefined) {
      return undefined;
    }
    const item = resolved.find((candidate) => candidate.label === answer);
    if (!item) {
      throw new Error(
        `no quick pick item ${JSON.stringify(answer)} in ${resolved.map((i) => i.label).join(', ')}`,
      );
    }
    return item;
  },
  async showOpenDialog(options: Record<string, unknown>): Promise<Uri[] | undefined> {
    stub.prompts.push({ kind: 'openDialog', options });
    const answer = stub.answers.openDialog.shift();
    return answer === undefined ? undefined : [Uri.file(answer)];
  },
  async withProgress<R>(
    options: { title?: string },
    task: (progress: unknown, token: unknown) => Promise<R>,
  ): Promise<R> {
    stub.progress.push(options.title ?? '');
    return task({ report: () => undefined }, { isCancellationRequested: false });
  },
  setStatusBarMessage(text: string): Disposable {
    stub.statusBar.push(text);
    return new Disposable(() => undefined);
  },
  get activeTextEditor(): { document: { uri: Uri } } | undefined {
    return stub.activeFile ? { document: { uri: Uri.file(stub.activeFile) } } : undefined;
  },
};

export const workspace = {
  get workspaceFolders() {
    return stub.workspaceFolders;
  },
  getConfiguration(section?: string) {
    const id = (key: string): string => (section ? `${section}.${key}` : key);
    return {
      get<T>(key: string, defaultValue?: T): T | undefined {
        const full = id(key);
        if (full in stub.settings) {
          return stub.settings[full] as T;
        }
        if (full in contributedDefaults) {
          return contributedDefaults[full] as T;
        }
        return defaultValue;
      },
      has(key: string): boolean {
        return id(key) in stub.settings || id(key) in contributedDefaults;
      },
    };
  },
  onDidGrantWorkspaceTrust: (listener: Listener<void>) => stub.trustGranted.event(listener),
  onDidChangeConfiguration: (listener: Listener<{ affectsConfiguration(section: string): boolean }>) =>
    stub.configurationChanged.event(listener),
};

export const commands = {
  registerCommand(id: string, handler: (...args: unknown[]) => unknown): Disposable {
    if (stub.commands.has(id)) {
      throw new Error(`command ${id} already exists`);
    }
    stub.commands.set(id, handler);
    return new Disposable(() => stub.commands.delete(id));
  },
  async executeCommand(id: string, ...args: unknown[]): Promise<unknown> {
    stub.executedCommands.push({ id, args });
    return stub.commands.get(id)?.(...args);
  },
};

export const extensions = {
  getExtension(id: string): unknown {
    return stub.extensions.get(id);
  },
};

export const tasks = {
  async executeTask(task: Task): Promise<{ task: Task }> {
    if (stub.taskError) {
      throw stub.taskError;
    }
    stub.tasks.push(task);
    const execution = { task };
    const exitCode = stub.taskExitCode;
    if (exitCode !== undefined) {
      setImmediate(() => stub.taskEnded.fire({ execution, exitCode }));
    }
    return execution;
  },
  onDidEndTaskProcess: (listener: Listener<TaskEnd>) => stub.taskEnded.event(listener),
};

export const env = {
  clipboard: {
    async writeText(text: string): Promise<void> {
      stub.clipboard = text;
    },
  },
};
