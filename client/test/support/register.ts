/**
 * Import this first in every test file: it makes `require('vscode')` (from our modules and
 * from vscode-languageclient) return the stand-in of `./vscode`.
 */
import Module = require('node:module');
import * as fake from './vscode';

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleInternals = Module as unknown as { _load: Loader };
const originalLoad = moduleInternals._load;

moduleInternals._load = function load(request: string, parent: unknown, isMain: boolean): unknown {
  if (request === 'vscode') {
    return fake;
  }
  return originalLoad.call(this, request, parent, isMain);
};

export const stub = fake.stub;
