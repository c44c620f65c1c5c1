/**
 * The command palette commands. Each asks for its input, validates it here (so mistakes are
 * caught while typing), then calls the server's command of the same job through the
 * language client.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DISPLAY_NAME, PaletteCommand, ServerCommand } from './constants';
import { ServerNotRunningError, errorMessage, isResponseError } from './errors';
import { PROJECT_MARKER, candidateProjectRoots, isInside, isProjectRoot } from './projectRoot';
import { validateNewProjectFolder, validateProjectName, validateResourceName } from './validation';

/** What the palette needs from the server manager. */
export interface ServerControl {
  executeServerCommand(command: string, args: unknown[]): Promise<unknown>;
  restart(reason: string): Promise<boolean>;
  /** True when the server runs (tries a start otherwise, which reports why it cannot). */
  ensureRunning(): Promise<boolean>;
}

export interface PaletteDeps {
  server: ServerControl;
  output: vscode.LogOutputChannel;
}

export type Orm = 'sync' | 'async';
export type Database = 'sqlite' | 'postgresql';
export type Docker = 'tiangolo' | 'slim';

/**
 * The argument of `fastapi-architect.scaffold`. The server writes outside the workspace
 * folders only when `confirmedOutsideWorkspace` is true: the target's parent always comes
 * from the folder dialog, so the user chose the place.
 */
export interface ScaffoldRequest {
  target: string;
  orm: Orm;
  database: Database;
  docker: Docker;
  inference: boolean;
  confirmedOutsideWorkspace: true;
}

/**
 * The argument of `fastapi-architect.addResource`. Projects found by the palette lie inside
 * a workspace folder; one outside can only come from the folder dialog, and says so.
 */
export interface AddResourceRequest {
  name: string;
  projectRoot: string;
  /** True for endpoints anyone can call; false makes every endpoint need a signed-in user. */
  public: boolean;
  confirmedOutsideWorkspace?: true;
}

interface Choice<T> extends vscode.QuickPickItem {
  value: T;
}

export const ORM_CHOICES: Choice<Orm>[] = [
  { label: 'sync', description: 'SQLAlchemy 2.0 Session (default)', value: 'sync' },
  { label: 'async', description: 'SQLAlchemy 2.0 AsyncSession (aiosqlite / asyncpg)', value: 'async' },
];

export const DATABASE_CHOICES: Choice<Database>[] = [
  { label: 'sqlite', description: 'zero configuration (default)', value: 'sqlite' },
  { label: 'postgresql', description: 'URL in .env.example; SQLite stays the fallback', value: 'postgresql' },
];

export const DOCKER_CHOICES: Choice<Docker>[] = [
  {
    label: 'tiangolo',
    description: 'tiangolo/uvicorn-gunicorn-fastapi image (default; deprecated upstream)',
    value: 'tiangolo',
  },
  { label: 'slim', description: 'python:3.12-slim, non-root user, fastapi run', value: 'slim' },
];

export const INFERENCE_CHOICES: Choice<boolean>[] = [
  { label: 'With inference', description: 'a /predict endpoint and a model loaded at start-up', value: true },
  { label: 'Without inference', description: 'CRUD service only', value: false },
];

/** Who may call a new resource's endpoints; the first item is the default (Enter takes it). */
export const ACCESS_CHOICES: Choice<boolean>[] = [
  {
    label: 'Require a signed-in user (recommended)',
    description: 'every endpoint depends on get_current_user',
    value: false,
  },
  { label: 'Public: anyone can call these endpoints', description: 'no authentication', value: true },
];

const NEW_PROJECT_STEPS = 6;

/** Asks for everything `fastapi-architect.scaffold` needs; undefined if the user cancels. */
export async function askScaffoldRequest(): Promise<ScaffoldRequest | undefined> {
  const title = (step: number): string => `New FastAPI Project (${step}/${NEW_PROJECT_STEPS})`;
  const parents = await vscode.window.showOpenDialog({
    title: `${title(1)}: the folder to create the project in`,
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: 'Create Project Here',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  const parent = parents?.[0]?.fsPath;
  if (!parent) {
    return undefined;
  }
  const name = await vscode.window.showInputBox({
    title: `${title(2)}: project name`,
    prompt: `A new folder in ${parent}; the Python package inside is always "app".`,
    placeHolder: 'orders-service',
    ignoreFocusOut: true,
    validateInput: async (value: string) =>
      validateProjectName(value) ?? (await validateNewProjectFolder(path.join(parent, value.trim()))),
  });
  if (name === undefined) {
    return undefined;
  }
  const orm = await pick(ORM_CHOICES, `${title(3)}: database access`);
  const database = orm && (await pick(DATABASE_CHOICES, `${title(4)}: database`));
  const docker = database && (await pick(DOCKER_CHOICES, `${title(5)}: Docker image`));
  const inference = docker && (await pick(INFERENCE_CHOICES, `${title(6)}: ML inference endpoint`));
  if (!orm || !database || !docker || inference === undefined) {
    return undefined;
  }
  return {
    target: path.join(parent, name.trim()),
    orm,
    database,
    docker,
    inference,
    confirmedOutsideWorkspace: true,
  };
}

async function pick<T>(choices: Choice<T>[], title: string): Promise<T | undefined> {
  const chosen = await vscode.window.showQuickPick(choices, { title, ignoreFocusOut: true });
  return chosen?.value;
}

/** `FastAPI Architect: New FastAPI Project…` */
export async function newProject(deps: PaletteDeps): Promise<void> {
  if (!(await deps.server.ensureRunning())) {
    return;
  }
  const request = await askScaffoldRequest();
  if (!request) {
    return;
  }
  const name = path.basename(request.target);
  const outcome = await runServerCommand(deps, ServerCommand.scaffold, [request], `Creating ${name}…`);
  if (!outcome.ok) {
    return;
  }
  const folders = workspaceFolderPaths();
  if (folders.some((folder) => isInside(request.target, folder))) {
    vscode.window.setStatusBarMessage(`$(check) Created the FastAPI project ${name}`, 10_000);
    return;
  }
  // The server has announced what it created; offer what only the editor can do.
  const open = await vscode.window.showInformationMessage(
    `Open the new project ${name} (${request.target}) in a new window?`,
    'Open Folder',
  );
  if (open === 'Open Folder') {
    await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(request.target), {
      forceNewWindow: true,
    });
  }
}

/** `FastAPI Architect: Add Resource…` */
export async function addResource(deps: PaletteDeps): Promise<void> {
  if (!(await deps.server.ensureRunning())) {
    return;
  }
  const projectRoot = await chooseProjectRoot();
  if (!projectRoot) {
    return;
  }
  const name = await vscode.window.showInputBox({
    title: 'Add Resource',
    prompt: `Singular resource name: model, schemas, service, endpoints and tests are added to ${projectRoot}.`,
    placeHolder: 'order',
    ignoreFocusOut: true,
    validateInput: validateResourceName,
  });
  if (name === undefined) {
    return;
  }
  const isPublic = await pick(ACCESS_CHOICES, `Add Resource: who may call the ${name.trim()} endpoints?`);
  if (isPublic === undefined) {
    return;
  }
  const request: AddResourceRequest = { name: name.trim(), projectRoot, public: isPublic };
  if (!workspaceFolderPaths().some((folder) => isInside(projectRoot, folder))) {
    request.confirmedOutsideWorkspace = true; // chosen in the folder dialog
  }
  await runServerCommand(deps, ServerCommand.addResource, [request], `Adding ${request.name}…`);
}

/** The project to add a resource to: found around the active file, picked, or chosen. */
export async function chooseProjectRoot(): Promise<string | undefined> {
  const document = vscode.window.activeTextEditor?.document.uri;
  const activeFile = document?.scheme === 'file' ? document.fsPath : undefined;
  const roots = await candidateProjectRoots(activeFile, workspaceFolderPaths());
  if (roots.length === 1) {
    return roots[0];
  }
  if (roots.length > 1) {
    const chosen = await vscode.window.showQuickPick(
      roots.map((root) => ({ label: path.basename(root), description: root, value: root })),
      { title: 'Add Resource: which project?', ignoreFocusOut: true },
    );
    return chosen?.value;
  }
  const folders = await vscode.window.showOpenDialog({
    title: 'Add Resource: the project folder (the one containing app/)',
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: 'Use This Project',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  const folder = folders?.[0]?.fsPath;
  if (!folder) {
    return undefined;
  }
  if (!(await isProjectRoot(folder))) {
    void vscode.window.showErrorMessage(
      `${DISPLAY_NAME}: ${folder} is not a FastAPI Architect project (${PROJECT_MARKER} is missing). ` +
        'Create one with "FastAPI Architect: New FastAPI Project…".',
    );
    return undefined;
  }
  return folder;
}

/** `FastAPI Architect: Migrate Workspace to Pydantic V2` */
export async function migrateWorkspace(deps: PaletteDeps): Promise<void> {
  if (workspaceFolderPaths().length === 0) {
    void vscode.window.showErrorMessage(
      `${DISPLAY_NAME}: open a folder first; the migration rewrites the Python files of the workspace folders.`,
    );
    return;
  }
  if (!(await deps.server.ensureRunning())) {
    return;
  }
  const answer = await vscode.window.showWarningMessage(
    'Migrate all Pydantic V1 code (validators, Config, Field, imports, …) in the workspace folders to V2? Python files are changed in place.',
    { modal: true },
    'Migrate',
  );
  if (answer !== 'Migrate') {
    return;
  }
  await runServerCommand(deps, ServerCommand.migrateWorkspace, []);
}

export type CommandOutcome = { ok: true; result: unknown } | { ok: false };

/**
 * Executes a server command with `workspace/executeCommand`, under a progress notification
 * when `title` is given. Failures are reported here; the outcome says whether it worked.
 */
export async function runServerCommand(
  deps: PaletteDeps,
  command: string,
  args: unknown[],
  title?: string,
): Promise<CommandOutcome> {
  deps.output.info(`Running ${command} ${JSON.stringify(args)}`);
  const run = (): Promise<unknown> => deps.server.executeServerCommand(command, args);
  try {
    const result = title
      ? await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, run)
      : await run();
    deps.output.info(`${command} done: ${abbreviate(JSON.stringify(result) ?? 'null')}`);
    return { ok: true, result };
  } catch (error) {
    await reportCommandError(deps, command, error);
    return { ok: false };
  }
}

function abbreviate(text: string, limit = 400): string {
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length} characters)` : text;
}

/** JSON-RPC codes the server answers after it has shown its own message to the user. */
const SERVER_REPORTED_CODES = new Set([-32602 /* InvalidParams */, -32603 /* InternalError */]);

async function reportCommandError(deps: PaletteDeps, command: string, error: unknown): Promise<void> {
  deps.output.error(`${command} failed: ${errorMessage(error)}`);
  if (isResponseError(error) && SERVER_REPORTED_CODES.has(error.code)) {
    return;
  }
  const message =
    error instanceof ServerNotRunningError
      ? `${DISPLAY_NAME}: ${error.message}. Check the logs, then restart the server.`
      : `${DISPLAY_NAME}: ${command} failed: ${errorMessage(error)}`;
  const action = await vscode.window.showErrorMessage(message, 'Show Logs', 'Restart Server');
  if (action === 'Show Logs') {
    deps.output.show();
  } else if (action === 'Restart Server') {
    await deps.server.restart('restart requested after a failed command');
  }
}

function workspaceFolderPaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? [])
    .filter((folder) => folder.uri.scheme === 'file')
    .map((folder) => folder.uri.fsPath);
}

/** Every palette command id mapped to its handler. */
export function paletteHandlers(deps: PaletteDeps): Record<string, () => Promise<unknown>> {
  return {
    [PaletteCommand.newProject]: () => newProject(deps),
    [PaletteCommand.addResource]: () => addResource(deps),
    [PaletteCommand.migrateWorkspace]: () => migrateWorkspace(deps),
    [PaletteCommand.restartServer]: () => deps.server.restart('restart requested'),
    [PaletteCommand.showLogs]: async () => deps.output.show(),
  };
}

/** Registers every palette command; unexpected errors are logged and shown, never thrown. */
export function registerPaletteCommands(deps: PaletteDeps): vscode.Disposable[] {
  return Object.entries(paletteHandlers(deps)).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async () => {
      try {
        await handler();
      } catch (error) {
        deps.output.error(`${id} failed: ${errorMessage(error)}`);
        void vscode.window.showErrorMessage(`${DISPLAY_NAME}: ${errorMessage(error)}`);
      }
    }),
  );
}
