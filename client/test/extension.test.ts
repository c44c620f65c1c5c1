/** Activation of the sources and of the esbuild bundle, with the vscode stand-in. */
import { stub } from './support/register';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { PaletteCommand } from '../src/common/constants';
import * as sources from '../src/extension';
import { flush } from './support/fakes';

const clientDir = path.resolve(__dirname, '..', '..');

interface ExtensionModule {
  activate(context: unknown): Promise<void>;
  deactivate(): Promise<void>;
}

const variants: [string, () => ExtensionModule][] = [
  ['sources', () => sources as unknown as ExtensionModule],
  ['bundle', () => require(path.join(clientDir, 'dist', 'extension.js')) as ExtensionModule],
];

for (const [name, load] of variants) {
  describe(`activation (${name})`, () => {
    beforeEach(() => stub.reset());

    it('registers every palette command and explains a missing interpreter', async () => {
      stub.settings = { 'fastapiArchitect.interpreter': ['/nonexistent/bin/python'] };
      const context = {
        subscriptions: [] as { dispose(): unknown }[],
        extensionPath: clientDir,
        globalStorageUri: { fsPath: path.join(clientDir, 'out', 'global-storage') },
      };
      const extension = load();
      await extension.activate(context);
      await flush();
      assert.deepEqual([...stub.commands.keys()].sort(), Object.values(PaletteCommand).sort());
      assert.deepEqual(
        stub.outputChannels.map((channel) => channel.name),
        ['FastAPI Architect'],
      );
      const [error] = stub.messages;
      assert.match(error?.message ?? '', /Python interpreter \/nonexistent\/bin\/python was not found/);
      assert.deepEqual(error?.items, ['Select Interpreter', 'Open Settings', 'Show Logs']);
      for (const disposable of context.subscriptions) {
        disposable.dispose();
      }
      await extension.deactivate();
      assert.equal(stub.commands.size, 0, 'disposing the subscriptions unregisters the commands');
    });
  });
}
