/** Names shared by the extension's modules: setting section, command ids, package names. */

/** The configuration section of every setting, client-only and server alike. */
export const SECTION = 'fastapiArchitect';

/** The language client's id; vscode-languageclient reads `<id>.trace.server` for tracing. */
export const CLIENT_ID = 'fastapiArchitect';

/** Shown in the output channel, notifications and the status of the language client. */
export const DISPLAY_NAME = 'FastAPI Architect';

/** The distribution to `pip install` into the interpreter that runs the server. */
export const SERVER_DISTRIBUTION = 'fastapi-architect';

/** The import package started with `python -m`. */
export const SERVER_MODULE = 'fastapi_architect';

/** The Python extension whose active environment is the default interpreter. */
export const PYTHON_EXTENSION_ID = 'ms-python.python';

/**
 * Commands the language server executes (`workspace/executeCommand`).
 *
 * vscode-languageclient registers these ids as VS Code commands by itself, so the palette
 * commands below use different ids and call these through the client.
 */
export const ServerCommand = {
  scaffold: 'fastapi-architect.scaffold',
  addResource: 'fastapi-architect.addResource',
  migrateWorkspace: 'fastapi-architect.migrateWorkspace',
} as const;

/** Commands this extension contributes to the command palette (see package.json). */
export const PaletteCommand = {
  newProject: 'fastapiArchitect.newProject',
  addResource: 'fastapiArchitect.addResource',
  migrateWorkspace: 'fastapiArchitect.migrateWorkspace',
  restartServer: 'fastapiArchitect.restartServer',
  showLogs: 'fastapiArchitect.showLogs',
} as const;

/** The documents the server analyses: Python files on disk and unsaved Python buffers. */
export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'python' },
  { scheme: 'untitled', language: 'python' },
];
