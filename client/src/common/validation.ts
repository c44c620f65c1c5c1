/**
 * Checks user input before it is sent to the server, with messages that say what to type.
 * Each validator returns undefined when the input is fine, else the message to show.
 */
import { promises as fs } from 'node:fs';

/** Python's hard keywords: a resource named like one cannot be a module or a variable. */
// prettier-ignore
export const PYTHON_KEYWORDS: ReadonlySet<string> = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class',
  'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global',
  'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return',
  'try', 'while', 'with', 'yield',
]);

/** The scaffold's rule for project (directory) names: they must make a distribution name. */
const PROJECT_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const MAX_PROJECT_NAME = 60;
/** The scaffold's rule for resource names: singular snake_case. */
const RESOURCE_NAME = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
const MAX_RESOURCE_NAME = 24;

/** Resource names that would collide with the generated project's own modules. */
// prettier-ignore
export const RESERVED_RESOURCE_NAMES: ReadonlySet<string> = new Set([
  'app', 'api', 'base', 'core', 'db', 'deps', 'errors', 'health', 'main', 'ml', 'model',
  'models', 'router', 'schemas', 'services', 'session', 'settings', 'test', 'tests',
  'predict', 'prediction', 'security', 'config',
  // Singulars whose plural (the table and endpoint module) is one of the above.
  'schema', 'service', 'setting',
]);

/** Nouns without a plural: a resource needs distinct singular and plural names. */
// prettier-ignore
export const UNCOUNTABLE_NOUNS: ReadonlySet<string> = new Set([
  'data', 'equipment', 'information', 'news', 'series', 'species',
]);

/**
 * A project (directory) name such as `orders-service`: letters, digits, `-`, `_` or `.`,
 * starting and ending with a letter or digit (the scaffold derives the distribution name).
 */
export function validateProjectName(name: string): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) {
    return 'Enter a project name, e.g. orders-service.';
  }
  if (trimmed.length > MAX_PROJECT_NAME) {
    return `Use at most ${MAX_PROJECT_NAME} characters.`;
  }
  if (!PROJECT_NAME.test(trimmed)) {
    const hint = slugHint(trimmed);
    return (
      'Use letters, digits, "-", "_" or ".", starting and ending with a letter or digit' +
      (hint ? ` (e.g. ${hint}).` : '.')
    );
  }
  return undefined;
}

/** A resource name: a singular snake_case Python identifier such as `order` or `line_item`. */
export function validateResourceName(name: string): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) {
    return 'Enter a resource name, e.g. order.';
  }
  if (trimmed.length > MAX_RESOURCE_NAME) {
    return `Use at most ${MAX_RESOURCE_NAME} characters.`;
  }
  if (PYTHON_KEYWORDS.has(trimmed)) {
    return `"${trimmed}" is a Python keyword; choose another name.`;
  }
  if (RESERVED_RESOURCE_NAMES.has(trimmed)) {
    return `"${trimmed}" is a module of the generated project; choose another name.`;
  }
  const lastWord = trimmed.split('_').pop() ?? trimmed;
  if (UNCOUNTABLE_NOUNS.has(lastWord)) {
    return `"${trimmed}" has no plural form; use a countable noun (e.g. ${trimmed}_item).`;
  }
  if (!RESOURCE_NAME.test(trimmed)) {
    const hint = slugHint(trimmed).replace(/-/g, '_');
    return (
      'Use a singular snake_case name: lowercase letters and digits separated by single "_", ' +
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
