// Edit-to-visible measurement shared by the latency benchmarks: A changes an
// actie's status, B stamps (MutationObserver) the moment its row shows it.
// Both contexts live in one Chromium, so they share a clock.
const STATUSES = ['gepland', 'lopend', 'afgerond', 'idee'];

export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** `n` edits on `a`, each timed until `b` shows it; p50 and p99 in ms. */
export async function measure(a, b, n) {
  await b.evaluate(() => {
    window.__seen = [];
    const row = document.querySelector('li.action');
    new MutationObserver(() => {
      window.__seen.push({ status: row.dataset.status, at: performance.timeOrigin + performance.now() });
    }).observe(row, { attributes: true, attributeFilter: ['data-status'] });
  });
  const samples = [];
  for (let i = 0; i < n; i++) {
    const status = STATUSES[i % STATUSES.length];
    const sent = await a.evaluate((s) => {
      const select = document.querySelector('select.action-status');
      const at = performance.timeOrigin + performance.now();
      select.value = s;
      select.dispatchEvent(new Event('change', { bubbles: true }));
      return at;
    }, status);
    const seen = await b.waitForFunction(
      ([s, after]) => window.__seen.find((e) => e.status === s && e.at >= after)?.at,
      [status, sent],
      { timeout: 10_000, polling: 'raf' },
    );
    samples.push((await seen.jsonValue()) - sent);
  }
  samples.sort((x, y) => x - y);
  return { p50_ms: +percentile(samples, 50).toFixed(2), p99_ms: +percentile(samples, 99).toFixed(2), samples: n };
}
