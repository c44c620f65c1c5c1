/** Test doubles shared by the unit tests: a server that records commands, temp folders. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { ServerControl } from '../../src/common/palette';
import { FakeOutputChannel } from './vscode';

/** Records `executeServerCommand` calls; answers with `result` or throws `error`. */
export class RecordingServer implements ServerControl {
  readonly calls: { command: string; args: unknown[] }[] = [];
  readonly restarts: string[] = [];
  result: unknown = null;
  error: unknown = undefined;
  running = true;
  ensureCalls = 0;

  async executeServerCommand(command: string, args: unknown[]): Promise<unknown> {
    this.calls.push({ command, args });
    if (this.error !== undefined) {
      throw this.error;
    }
    return this.result;
  }

  async ensureRunning(): Promise<boolean> {
    this.ensureCalls += 1;
    return this.running;
  }

  async restart(reason: string): Promise<boolean> {
    this.restarts.push(reason);
    return true;
  }
}

/** A log output channel that keeps its lines. */
export function outputChannel(): FakeOutputChannel & vscode.LogOutputChannel {
  return new FakeOutputChannel('FastAPI Architect') as FakeOutputChannel & vscode.LogOutputChannel;
}

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempFolder(prefix = 'fa-client-'): { folder: string; cleanup: () => void } {
  const folder = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { folder, cleanup: () => rmSync(folder, { recursive: true, force: true }) };
}

/** Writes `files` (relative path → content) under `root`. */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** Makes `root` look like a scaffolded project (it has app/api/v1/router.py). */
export function makeProject(root: string): string {
  writeFiles(root, {
    'pyproject.toml': '[project]\nname = "demo"\n',
    'app/__init__.py': '',
    'app/api/v1/router.py': 'from fastapi import APIRouter\n\napi_router = APIRouter()\n',
    'app/api/v1/endpoints/users.py': '',
  });
  return root;
}

/** Lets pending promise callbacks and immediates run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
