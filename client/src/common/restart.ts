/**
 * When the server must be started again: the interpreter or the start command changed.
 *
 * The server's own settings (log level, diagnostics, …) need no restart: vscode-languageclient
 * sends them with `workspace/didChangeConfiguration` and the server applies them live.
 */
import { RESTART_SETTING_KEYS, settingId, type ClientSettings } from './settings';

/** The part of `vscode.ConfigurationChangeEvent` we need. */
export interface ConfigurationChange {
  affectsConfiguration(section: string): boolean;
}

/** True when `change` touches a setting that decides how the server is started. */
export function settingsChangeNeedsRestart(change: ConfigurationChange): boolean {
  return RESTART_SETTING_KEYS.some((key) => change.affectsConfiguration(settingId(key)));
}

/** True when the Python extension's interpreter is the one in use (no setting overrides it). */
export function followsPythonExtension(settings: ClientSettings): boolean {
  return settings.interpreter.length === 0 && settings.serverCommand.length === 0;
}

/**
 * Coalesces bursts of restart triggers (one interpreter change fires several events) into
 * one restart, `delayMs` after the last trigger. Reasons are collected for the log.
 */
export class RestartScheduler {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private reasons: string[] = [];

  constructor(
    private readonly restart: (reason: string) => Promise<unknown>,
    private readonly delayMs = 300,
  ) {}

  /** Asks for a restart; the last call within `delayMs` wins the timing. */
  schedule(reason: string): void {
    if (!this.reasons.includes(reason)) {
      this.reasons.push(reason);
    }
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const reasons = this.reasons.join('; ');
      this.reasons = [];
      void this.restart(reasons);
    }, this.delayMs);
  }

  /** True while a restart is waiting to happen. */
  get pending(): boolean {
    return this.timer !== undefined;
  }

  /** Drops a waiting restart. */
  dispose(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.reasons = [];
  }
}
