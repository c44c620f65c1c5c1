/**
 * Finds the scaffolded project that "Add Resource" should extend: the folder holding
 * `app/api/v1/router.py`, the file that add-resource wires new routers into.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** The file that marks a project created by the scaffold (relative to its root). */
export const PROJECT_MARKER = path.join('app', 'api', 'v1', 'router.py');

/** True when `folder` holds the project marker. */
export async function isProjectRoot(folder: string): Promise<boolean> {
  try {
    return (await fs.stat(path.join(folder, PROJECT_MARKER))).isFile();
  } catch {
    return false;
  }
}

/** True when `child` is `parent` or inside it. */
export function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The nearest project root at or above `file`'s folder, not leaving `boundary`. */
export async function projectRootAbove(file: string, boundary: string): Promise<string | undefined> {
  let folder = path.dirname(file);
  while (isInside(folder, boundary)) {
    if (await isProjectRoot(folder)) {
      return folder;
    }
    const parent = path.dirname(folder);
    if (parent === folder) {
      break;
    }
    folder = parent;
  }
  return undefined;
}

/** `folder` itself when it is a project root, else its direct subfolders that are. */
export async function projectRootsIn(folder: string): Promise<string[]> {
  if (await isProjectRoot(folder)) {
    return [folder];
  }
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  const roots: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') {
      const candidate = path.join(folder, entry.name);
      if (await isProjectRoot(candidate)) {
        roots.push(candidate);
      }
    }
  }
  return roots;
}

/**
 * The projects "Add Resource" could mean: the one around the active file when there is one,
 * else every project at the top of the workspace folders.
 */
export async function candidateProjectRoots(
  activeFile: string | undefined,
  workspaceFolders: readonly string[],
): Promise<string[]> {
  if (activeFile) {
    const folder = workspaceFolders.find((candidate) => isInside(activeFile, candidate));
    if (folder) {
      const root = await projectRootAbove(activeFile, folder);
      if (root) {
        return [root];
      }
    }
  }
  const roots: string[] = [];
  for (const folder of workspaceFolders) {
    for (const root of await projectRootsIn(folder)) {
      if (!roots.includes(root)) {
        roots.push(root);
      }
    }
  }
  return roots;
}
