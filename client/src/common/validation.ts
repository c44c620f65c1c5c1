/**
 * Checks user input before it is sent to the server, with messages that say what to type.
 * Each validator returns undefined when the input is fine, else the message to show.
 */
import { promises as fs } from 'node:fs';

/** Python's hard keywords: a resource named like one cannot be a module or a variable. */
export const PYTHON_KEYWORDS: ReadonlySet<string> = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class',
  'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global',
  'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return',
  'try', 'while', 'with', 'yield',
]);

const PROJECT_NAME = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;
const RESOURCE_NAME = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
const MAX_NAME_LENGTH = 64;

/** A project (directory) name: a lowercase slug such as `orders-service`. */
export function validateProjectName(name: string): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) {
    return 'Enter a project name, e.g. orders-service.';
  }
  if (trimmed.length > MAX_NAME_LENGTH) {
    return `Use at most ${MAX_NAME_LENGTH} characters.`;
  }
  if (!PROJECT_NAME.test(trimmed)) {
    const hint = slugHint(trimmed);
    return (
      'Use lowercase letters and digits separated by single "-" or "_", starting with a letter' +
      (hint ? ` (e.g. ${hint}).` : '.')
    );
  }
  return undefined;
}

/** A resource name: a lowercase Python identifier such as `order` or `line_item`. */
export function validateResourceName(name: string): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) {
    return 'Enter a resource name, e.g. order.';
  }
  if (trimmed.length > MAX_NAME_LENGTH) {
    return `Use at most ${MAX_NAME_LENGTH} characters.`;
  }
  if (PYTHON_KEYWORDS.has(trimmed)) {
    return `"${trimmed}" is a Python keyword; choose another name.`;
  }
  if (!RESOURCE_NAME.test(trimmed)) {
    const hint = slugHint(trimmed).replace(/-/g, '_');
    return (
      'Use a lowercase Python identifier: letters and digits separated by single "_", ' +
      'starting with a letter' +
      (hint && hint !== trimmed && !PYTHON_KEYWORDS.has(hint) ? ` (e.g. ${hint}).` : '.')
    );
  }
  return undefined;
}

/** The closest valid slug to `text` (for "did you mean" hints), or '' if there is none. */
export function slugHint(text: string): string {
  return text
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/([-_])[-_]+/g, '$1')
    .replace(/^[^a-z]+/, '')
    .replace(/[-_]+$/, '');
}

/** A folder to scaffold into: it must not exist, or be empty. */
export async function validateNewProjectFolder(target: string): Promise<string | undefined> {
  let entries: string[];
  try {
    entries = await fs.readdir(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      return undefined;
    }
    if (code === 'ENOTDIR') {
      return `${target} exists and is a file.`;
    }
    return `${target} cannot be used (${code ?? String(error)}).`;
  }
  if (entries.length === 0) {
    return undefined;
  }
  const shown = entries.sort().slice(0, 5).join(', ');
  const more = entries.length > 5 ? `, … (${entries.length} entries)` : '';
  return `${target} already exists and is not empty (${shown}${more}). Choose another name.`;
}
