// Draws the extension's icon, images/icon.png (256×256): a white lightning bolt over a layered
// "stack" on a FastAPI-teal rounded square. Pure Node (zlib), so it needs no image tools.
//   node scripts/icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 256;
const SAMPLES = 4; // supersampling per axis, for smooth edges
const TEAL = [5, 153, 139];
const DARK = [3, 110, 100];
const WHITE = [255, 255, 255];

const bolt = [
  [150, 28],
  [72, 140],
  [124, 140],
  [100, 228],
  [186, 108],
  [132, 108],
];

function insidePolygon(x, y, points) {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) {
      inside = !inside;
    }
  }
  return inside;
}

function insideRoundedSquare(x, y, margin, radius) {
  const lo = margin + radius;
  const hi = SIZE - margin - radius;
  const dx = x < lo ? lo - x : x > hi ? x - hi : 0;
  const dy = y < lo ? lo - y : y > hi ? y - hi : 0;
  return (
    x >= margin &&
    x <= SIZE - margin &&
    y >= margin &&
    y <= SIZE - margin &&
    dx * dx + dy * dy <= radius * radius
  );
}

/** The colour at one sample point, or undefined for transparent. */
function colourAt(x, y) {
  if (!insideRoundedSquare(x, y, 8, 44)) {
    return undefined;
  }
  if (insidePolygon(x, y, bolt)) {
    return WHITE;
  }
  // Three layer bars on the left: the API, service and model layers.
  for (const top of [70, 118, 166]) {
    if (x >= 34 && x <= 84 && y >= top && y <= top + 22 && !insidePolygon(x, y, bolt)) {
      return DARK;
    }
  }
  return TEAL;
}

const rows = [];
for (let py = 0; py < SIZE; py += 1) {
  const row = Buffer.alloc(1 + SIZE * 4);
  for (let px = 0; px < SIZE; px += 1) {
    const sum = [0, 0, 0, 0];
    for (let sy = 0; sy < SAMPLES; sy += 1) {
      for (let sx = 0; sx < SAMPLES; sx += 1) {
        const colour = colourAt(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
        if (colour) {
          sum[0] += colour[0];
          sum[1] += colour[1];
          sum[2] += colour[2];
          sum[3] += 1;
        }
      }
    }
    const offset = 1 + px * 4;
    if (sum[3] > 0) {
      row[offset] = Math.round(sum[0] / sum[3]);
      row[offset + 1] = Math.round(sum[1] / sum[3]);
      row[offset + 2] = Math.round(sum[2] / sum[3]);
    }
    row[offset + 3] = Math.round((255 * sum[3]) / (SAMPLES * SAMPLES));
  }
  rows.push(row);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) {
    c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) {
    c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const target = new URL('../images/icon.png', import.meta.url);
writeFileSync(target, png);
console.log(`wrote ${target.pathname} (${png.length} bytes)`);
