// Checks a packaged .vsix: it holds the bundle, the snippets named in package.json, the
// manifest, README, CHANGELOG, LICENSE, icon and exactly one server wheel, and nothing else.
//   node scripts/check-vsix.mjs fastapi-architect-<version>.vsix
import { readFileSync, statSync } from 'node:fs';

/** The names of the entries of a zip file, read from its central directory. */
export function zipEntries(buffer) {
  const minimum = Math.max(0, buffer.length - 65_557);
  let end = -1;
  for (let offset = buffer.length - 22; offset >= minimum; offset -= 1) {
    if (buffer.readUInt32LE(offset) === 0x06054b50) {
      end = offset;
      break;
    }
  }
  if (end < 0) {
    throw new Error('not a zip file (no end of central directory)');
  }
  const count = buffer.readUInt16LE(end + 10);
  let offset = buffer.readUInt32LE(end + 16);
  const names = [];
  for (let index = 0; index < count; index += 1) {
    if (buffer.readUInt32LE(offset) !== 0x02014b50) {
      throw new Error(`bad central directory entry at ${offset}`);
    }
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    names.push(buffer.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/check-vsix.mjs FILE.vsix');
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const entries = zipEntries(readFileSync(file));
const required = [
  'extension/package.json',
  'extension/readme.md',
  'extension/LICENSE.txt',
  `extension/${manifest.main.replace(/^\.\//, '')}`,
  'extension/changelog.md',
  `extension/${manifest.icon}`,
  ...manifest.contributes.snippets.map((snippet) => `extension/${snippet.path.replace(/^\.\//, '')}`),
  ...manifest.contributes.walkthroughs.flatMap((walkthrough) =>
    walkthrough.steps.map((step) => `extension/${step.media.markdown}`),
  ),
];
const wheels = entries.filter((entry) => /^extension\/server\/fastapi_architect-[^/]+\.whl$/.test(entry));
if (wheels.length !== 1) {
  console.error(`${file}: expected one server wheel in extension/server/, found ${JSON.stringify(wheels)}`);
  process.exit(1);
}
required.push(wheels[0]);
const lowered = new Set(entries.map((entry) => entry.toLowerCase()));
const missing = required.filter((name) => !lowered.has(name.toLowerCase()));
// Everything else vsce adds on its own: the VSIX manifest and content types.
const packagingFiles = new Set(['extension.vsixmanifest', '[content_types].xml']);
const wanted = new Set([...required.map((name) => name.toLowerCase()), ...packagingFiles]);
const unwanted = entries.filter((entry) => !wanted.has(entry.toLowerCase()));
if (missing.length > 0 || unwanted.length > 0) {
  console.error(`${file}: missing ${JSON.stringify(missing)}, unwanted ${JSON.stringify(unwanted)}`);
  process.exit(1);
}
console.log(`${file}: ${entries.length} entries, ${(statSync(file).size / 1024).toFixed(0)} KiB — ok`);
