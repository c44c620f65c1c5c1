/**
 * Reads the `fastapiArchitect` section: the client-only keys that decide how the server is
 * started, and the server's settings that are sent as `initializationOptions`.
 *
 * The server validates its settings with a pydantic model (`lsp/settings.py`); the keys and
 * defaults here mirror that model exactly, in camelCase. Values are passed through as the
 * user wrote them: the server is the one place that validates them, and it answers an
 * invalid value with a single warning instead of failing.
 */
import { SECTION } from './constants';

/** What the extension needs from a `vscode.WorkspaceConfiguration`. */
export interface ConfigurationReader {
  get<T>(key: string, defaultValue: T): T;
}

export type LogLevel = 'error' | 'warning' | 'info' | 'debug';

/** The server's settings (its `ServerSettings` model, camelCase on the wire). */
export interface ServerSettings {
  logLevel: LogLevel;
  diagnostics: { enabled: boolean; debounceMs: number; rules: Record<string, string> };
  extract: { serviceModule: string };
  completion: { enabled: boolean; definitions: boolean };
  analysis: { maxFileBytes: number };
}

/** Settings that only the extension reads; the server ignores these keys. */
export interface ClientSettings {
  /** The interpreter command (`[]`: ask the Python extension, then `PATH`). */
  interpreter: string[];
  /** A full command that replaces `<python> -m fastapi_architect serve` (`[]`: none). */
  serverCommand: string[];
  /** Where the server runs: the extension's private environment, or the chosen interpreter. */
  serverEnvironment: ServerEnvironment;
}

export type ServerEnvironment = 'bundled' | 'interpreter';

/**
 * Settings whose VS Code default differs from the server model's on purpose: VS Code already
 * lists the definition snippets from the extension's own copy of `snippets/`, so the server
 * must not offer them a second time (its parameter completions, which add imports, stay on).
 */
export const VSCODE_DEFAULT_OVERRIDES: Readonly<Record<string, unknown>> = {
  'completion.definitions': false,
};

/** The defaults the extension sends: the server model's, but for `VSCODE_DEFAULT_OVERRIDES`. */
export const DEFAULT_SERVER_SETTINGS: ServerSettings = {
  logLevel: 'info',
  diagnostics: { enabled: true, debounceMs: 250, rules: {} },
  extract: { serviceModule: 'auto' },
  completion: { enabled: true, definitions: false },
  analysis: { maxFileBytes: 5_000_000 },
};

/** Keys under `fastapiArchitect` that the server reads. */
export const SERVER_SETTING_KEYS = [
  'logLevel',
  'diagnostics.enabled',
  'diagnostics.debounceMs',
  'diagnostics.rules',
  'extract.serviceModule',
  'completion.enabled',
  'completion.definitions',
  'analysis.maxFileBytes',
] as const;

/** Keys under `fastapiArchitect` that only the extension reads. */
export const CLIENT_SETTING_KEYS = [
  'interpreter',
  'server.command',
  'server.environment',
  'trace.server',
] as const;

/** Client-only keys whose change means the server must be started again. */
export const RESTART_SETTING_KEYS = ['interpreter', 'server.command', 'server.environment'] as const;

/** The server's settings from `config` (the `fastapiArchitect` section), for `initializationOptions`. */
export function readServerSettings(config: ConfigurationReader): ServerSettings {
  const d = DEFAULT_SERVER_SETTINGS;
  return {
    logLevel: config.get('logLevel', d.logLevel),
    diagnostics: {
      enabled: config.get('diagnostics.enabled', d.diagnostics.enabled),
      debounceMs: config.get('diagnostics.debounceMs', d.diagnostics.debounceMs),
      rules: config.get('diagnostics.rules', d.diagnostics.rules),
    },
    extract: { serviceModule: config.get('extract.serviceModule', d.extract.serviceModule) },
    completion: {
      enabled: config.get('completion.enabled', d.completion.enabled),
      definitions: config.get('completion.definitions', d.completion.definitions),
    },
    analysis: { maxFileBytes: config.get('analysis.maxFileBytes', d.analysis.maxFileBytes) },
  };
}

/** The client-only settings from `config` (the `fastapiArchitect` section). */
export function readClientSettings(config: ConfigurationReader): ClientSettings {
  return {
    interpreter: asCommand(config.get<unknown>('interpreter', [])),
    serverCommand: asCommand(config.get<unknown>('server.command', [])),
    serverEnvironment:
      config.get<unknown>('server.environment', 'bundled') === 'interpreter' ? 'interpreter' : 'bundled',
  };
}

/**
 * A command setting as an argument list: an array of strings as is, a single string as a
 * one-element list (users write `"interpreter": "/path/python"` too), anything else empty.
 * Blank entries are dropped.
 */
export function asCommand(value: unknown): string[] {
  if (typeof value === 'string') {
    return value.trim() ? [value.trim()] : [];
  }
  if (Array.isArray(value) && value.every((part) => typeof part === 'string')) {
    const parts = value.map((part: string) => part.trim());
    return parts[0] ? parts.filter((part) => part.length > 0) : [];
  }
  return [];
}

/** The full setting id, e.g. `fastapiArchitect.server.command`. */
export function settingId(key: string): string {
  return `${SECTION}.${key}`;
}
