// Transfer size of the built app: raw and brotli (quality 11), per file kind.
// Run by `cargo xtask bench`: prints one JSON line.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const dist = process.env.REGIE_DIST;
const sizes = { wasm_raw: 0, wasm_brotli: 0, js_raw: 0, js_brotli: 0, css_raw: 0, css_brotli: 0 };
for (const name of readdirSync(dist)) {
  const kind = path.extname(name).slice(1);
  if (!['wasm', 'js', 'css'].includes(kind)) continue;
  const bytes = readFileSync(path.join(dist, name));
  const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  sizes[`${kind}_raw`] += bytes.length;
  sizes[`${kind}_brotli`] += brotli.length;
}
console.log(JSON.stringify({ bench: 'app_size', ...sizes, target_wasm_brotli: 500 * 1024 }));
