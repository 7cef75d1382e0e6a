// Transfer size of the built app: raw and brotli (quality 11), per file kind,
// of the files the page names (the first download); files no page names (the
// QR decoder worker, fetched only when a scan starts) count as `lazy_`.
// Run by `cargo xtask bench`: prints one JSON line.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const dist = process.env.REGIE_DIST;
const sizes = { wasm_raw: 0, wasm_brotli: 0, js_raw: 0, js_brotli: 0, css_raw: 0, css_brotli: 0 };
const page = readFileSync(path.join(dist, 'index.html'), 'utf8');
for (const name of readdirSync(dist)) {
  const kind = path.extname(name).slice(1);
  if (!['wasm', 'js', 'css'].includes(kind)) continue;
  const bytes = readFileSync(path.join(dist, name));
  const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  const lazy = page.includes(`/${name}`) ? '' : 'lazy_';
  sizes[`${lazy}${kind}_raw`] = (sizes[`${lazy}${kind}_raw`] ?? 0) + bytes.length;
  sizes[`${lazy}${kind}_brotli`] = (sizes[`${lazy}${kind}_brotli`] ?? 0) + brotli.length;
}
console.log(JSON.stringify({ bench: 'app_size', ...sizes, target_wasm_brotli: 500 * 1024 }));
