// Accessibility checks on the page as it is rendered: axe-core for the
// WCAG 2.1 A/AA rules it can decide, and what axe cannot see: touch targets
// of at least 44 × 44 px, every control reachable with Tab, and a focus
// indicator that stands out (3:1) from what is behind it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

/** What the interactive elements are, for the target and keyboard checks. */
const INTERACTIVE = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"]), [role="button"], [role="tab"]';

/** axe's WCAG 2.0/2.1 A and AA rules; returns the serious and critical
 * violations, each with its rule, impact, help and the elements. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    // Evaluated over CDP: an injected <script> would be (rightly) refused
    // by the app's Content-Security-Policy.
    await page.evaluate(readFileSync(AXE, 'utf8'));
  }
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), impact: n.impact, summary: n.failureSummary })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A violation list as readable lines, for an assertion message. */
export function describeViolations(violations) {
  return violations.map((v) => [
    `${v.id} (${v.impact}): ${v.help}`,
    ...v.nodes.slice(0, 8).map((n) => `    ${n.target}\n      ${(n.summary || '').replace(/\n/g, '\n      ')}`),
    v.nodes.length > 8 ? `    … and ${v.nodes.length - 8} more` : '',
  ].filter(Boolean).join('\n')).join('\n');
}

/** Visible interactive elements whose touch target is under 44 × 44 px.
 * Two cases are measured differently, as WCAG 2.5.5 allows:
 * - an inline link inside a sentence or block of text is exempt ("Inline");
 * - a checkbox or radio passes when one of its labels is 44 × 44 px and
 *   wraps or touches it, since a tap anywhere on that label operates it. */
export async function smallTargets(page, { within = 'body', min = 44 } = {}) {
  return page.evaluate(({ selector, within, min }) => {
    const describe = (el) => {
      const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().replace(/\s+/g, ' ').slice(0, 40);
      const id = el.id ? `#${el.id}` : '';
      const cls = el.classList.length ? `.${[...el.classList].join('.')}` : '';
      const type = el.type && el.tagName === 'INPUT' ? `[type=${el.type}]` : '';
      return `${el.tagName.toLowerCase()}${id}${cls}${type}${text ? ` "${text}"` : ''}`;
    };
    // In a sentence: an inline link with words right before or after it.
    const isInlineLink = (el) => {
      if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
      const words = (node) => node?.nodeType === Node.TEXT_NODE && /[\p{L}\p{N}]/u.test(node.textContent);
      return words(el.previousSibling) || words(el.nextSibling);
    };
    const small = [];
    for (const el of document.querySelector(within).querySelectorAll(selector)) {
      const own = el.getBoundingClientRect();
      // checkVisibility also sees content-visibility, e.g. inside a closed <details>.
      if (own.width === 0 || own.height === 0 || !el.checkVisibility({ visibilityProperty: true })) continue;
      if (isInlineLink(el)) continue;
      const big = (box) => box.width + 0.5 >= min && box.height + 0.5 >= min;
      if (big(own)) continue;
      if (el.type === 'checkbox' || el.type === 'radio') {
        const touches = (box) => box.left <= own.right + 1 && own.left <= box.right + 1
          && box.top <= own.bottom + 1 && own.top <= box.bottom + 1;
        const label = [...(el.labels || [])].find((l) => touches(l.getBoundingClientRect()) && big(l.getBoundingClientRect()));
        if (label) continue;
      }
      small.push(`${describe(el)}: ${Math.round(own.width)}×${Math.round(own.height)} px`);
    }
    return small;
  }, { selector: INTERACTIVE, within, min });
}

/** Presses Tab through the page (or, with `within`, from where focus is
 * through that container, e.g. a modal dialog) and
 * reports: visible controls Tab never reached, focused elements without a
 * focus indicator of at least 2 px and 3:1 contrast with what is behind it,
 * and (with `within`) focus escaping the container. */
export async function keyboardProblems(page, { within, maxStops = 400 } = {}) {
  const total = await page.evaluate(({ selector, within }) => {
    const root = within ? document.querySelector(within) : document.body;
    let n = 0;
    for (const el of root.querySelectorAll(selector)) {
      const box = el.getBoundingClientRect();
      el.removeAttribute('data-a11y-i');
      // Disabled controls are out of the Tab order by design.
      if (box.width === 0 || box.height === 0 || !el.checkVisibility({ visibilityProperty: true }) || el.disabled) continue;
      el.setAttribute('data-a11y-i', String(n++));
    }
    // In a dialog, Tab goes on from where the app put focus when it opened.
    if (!within) document.activeElement?.blur?.();
    return n;
  }, { selector: INTERACTIVE, within });

  const inspect = ({ within }) => {
    const el = document.activeElement;
    if (!el || el === document.body) return { none: true };
    const describe = (e) => {
      const text = (e.getAttribute('aria-label') || e.textContent || e.value || '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.classList.length ? `.${[...e.classList].join('.')}` : ''}${text ? ` "${text}"` : ''}`;
    };
    const rgba = (c) => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const luminance = ({ r, g, b }) => {
      const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    // What the outline is drawn on: the first opaque background outside the element.
    let behind = { r: 255, g: 255, b: 255, a: 1 };
    for (let p = el.parentElement; p; p = p.parentElement) {
      const c = rgba(getComputedStyle(p).backgroundColor);
      if (c && c.a > 0.5) { behind = c; break; }
    }
    const style = getComputedStyle(el);
    const width = style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth);
    const colour = rgba(style.outlineColor);
    let contrast = 0;
    if (colour && width > 0) {
      const [l1, l2] = [luminance(colour), luminance(behind)].sort((a, b) => b - a);
      contrast = (l1 + 0.05) / (l2 + 0.05);
    }
    return {
      index: el.getAttribute('data-a11y-i'),
      outside: within ? !el.closest(within) : false,
      what: describe(el),
      width,
      contrast: Math.round(contrast * 100) / 100,
      radio: el.type === 'radio' ? el.name : null,
    };
  };

  const reached = new Set();
  const radioGroups = new Set();
  const problems = [];
  let first;
  let previous;
  let outOfPage = 0;
  for (let stop = 0; stop < maxStops; stop++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(inspect, { within });
    // Past the last control focus leaves the page; the next Tab wraps to
    // the first. Tab starts where focus last was, so go round once.
    if (f.none) { if (++outOfPage > 2) break; continue; }
    outOfPage = 0;
    const key = `${f.index}|${f.what}`;
    // A date input takes several Tabs (day, month, year): one control.
    if (key === previous) continue;
    previous = key;
    if (key === first) break;
    first ??= key;
    if (f.outside) { problems.push(`focus left ${within} to ${f.what}`); break; }
    if (f.index !== null) reached.add(f.index);
    if (f.radio) radioGroups.add(f.radio);
    if (f.width < 2 || f.contrast < 3) {
      problems.push(`no visible focus on ${f.what}: outline ${f.width}px, contrast ${f.contrast}:1`);
    }
  }
  const missed = await page.evaluate(({ reached, radioGroups }) => {
    const out = [];
    for (const el of document.querySelectorAll('[data-a11y-i]')) {
      if (reached.includes(el.getAttribute('data-a11y-i'))) continue;
      // A radio group is one Tab stop; arrow keys move inside it.
      if (el.type === 'radio' && radioGroups.includes(el.name)) continue;
      out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.classList.length ? `.${[...el.classList].join('.')}` : ''} "${(el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40)}"`);
    }
    return out;
  }, { reached: [...reached], radioGroups: [...radioGroups] });
  for (const m of missed) problems.push(`not reachable with Tab: ${m}`);
  return { problems, total };
}

/** When the page scrolls sideways, the outermost elements that stick out
 * past the viewport's right edge. Content that scrolls inside its own box
 * (a wide table or board in an `overflow: auto` region) is allowed, as WCAG
 * 1.4.10 allows for two-dimensional content. */
export async function widerThanViewport(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    const out = [];
    const walk = (el) => {
      const box = el.getBoundingClientRect();
      const scrolls = getComputedStyle(el).overflowX !== 'visible';
      if (scrolls && box.right <= width + 1) return;
      if (box.right > width + 1 && box.width > 0) {
        const inner = [...el.children].filter((c) => c.getBoundingClientRect().right > width + 1);
        if (inner.length === 0 || getComputedStyle(el).display === 'flex') {
          out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.classList.length ? `.${[...el.classList].join('.')}` : ''}: right edge at ${Math.round(box.right)} px`);
          return;
        }
      }
      for (const c of el.children) walk(c);
    };
    walk(document.body);
    return out.slice(0, 12);
  });
}
