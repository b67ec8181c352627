// Helpers of the browser tests (meldpunt.mjs): launching the system Chromium, a JPEG with an EXIF
// block, screenshots, the axe-core check and page assertions. No browser is ever downloaded.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

// node_modules live in $BROWSER_TOOLS (target/test-tools/browser when run by the Rust test), or
// next to this script after a local `npm ci`.
const tools = process.env.BROWSER_TOOLS || here;
const require = createRequire(path.join(path.resolve(tools), 'package.json'));
export const { chromium } = require('playwright-core');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const repoRoot = path.resolve(here, '..', '..');

export class TestFailure extends Error {}

export function check(condition, message) {
  if (!condition) throw new TestFailure(message);
}

// Flags for a headless Chromium as root on a machine without network: no sandbox (root), no GPU,
// and none of the background calls home (they only slow the run down on a closed network).
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Playwright starts Chromium with a fresh temporary user-data-dir of its own and removes it
// afterwards.
export async function launch() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  check(fs.existsSync(executablePath), `no Chromium at ${executablePath}: install chromium and chromium-driver`);
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

// A text that must not survive the server's metadata stripping.
export const EXIF_MARKER = 'HT-EXIF-GPS-51.9225N-4.4792E';

// A valid 1×1 JPEG, encoded by the browser itself, with an APP1 Exif segment (a TIFF header and
// one IFD0 entry, ImageDescription = EXIF_MARKER) inserted after the start-of-image marker.
export async function jpegWithExif(page) {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 1;
    canvas.height = 1;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#c05020';
    ctx.fillRect(0, 0, 1, 1);
    return canvas.toDataURL('image/jpeg', 0.9);
  });
  const jpeg = Buffer.from(dataUrl.split(',')[1], 'base64');
  check(jpeg[0] === 0xff && jpeg[1] === 0xd8, 'the browser did not encode a JPEG');
  const text = Buffer.from(EXIF_MARKER + '\0', 'latin1');
  // TIFF, little endian: header (8) + IFD0 with one entry (2 + 12 + 4), then the string.
  const tiff = Buffer.alloc(8 + 18);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(1, 8); // one entry
  tiff.writeUInt16LE(0x010e, 10); // ImageDescription
  tiff.writeUInt16LE(2, 12); // ASCII
  tiff.writeUInt32LE(text.length, 14);
  tiff.writeUInt32LE(tiff.length, 18); // offset of the string
  tiff.writeUInt32LE(0, 22); // no next IFD
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff, text]);
  const header = Buffer.alloc(4);
  header.writeUInt16BE(0xffe1, 0);
  header.writeUInt16BE(payload.length + 2, 2);
  const withExif = Buffer.concat([jpeg.subarray(0, 2), header, payload, jpeg.subarray(2)]);
  const width = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/jpeg;base64,${b64}`;
    await img.decode();
    return img.naturalWidth;
  }, withExif.toString('base64'));
  check(width === 1, 'the JPEG with the EXIF block does not decode');
  check(withExif.includes('Exif\0\0') && withExif.includes(EXIF_MARKER), 'the JPEG has no EXIF block');
  return withExif;
}

// Full-page screenshots at a phone's and a desktop's width: SCREENSHOT_DIR/<name>-<width>.png.
// Returns the page's width at 360 px when it scrolls sideways there (WCAG 1.4.10, reflow).
export async function screenshots(page, name, dir, taken) {
  let overflow = null;
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width === 360 && scrollWidth > width) overflow = scrollWidth;
    const file = path.join(dir, `${name}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    taken.push(file);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  return overflow;
}

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// Runs axe-core (WCAG 2.1 A and AA rules) in the page; returns the violations, each printed.
// The page's context needs `bypassCSP: true` for the injected script.
export async function axe(page, name) {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  }, WCAG_21_AA);
  for (const v of violations) {
    console.error(`axe ${name}: [${v.impact}] ${v.id}: ${v.help} at ${targets(v)}`);
  }
  return violations;
}

// The first few elements a violation was found at.
export function targets(v) {
  const more = v.targets.length > 5 ? ` (and ${v.targets.length - 5} more)` : '';
  return v.targets.slice(0, 5).join(', ') + more;
}

export function serious(violations) {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

// Clicks a submit button and waits for the page the form leads to; returns its response.
export async function submit(page, selector) {
  await need(page, selector, 'a button to press');
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().frame() === page.mainFrame()),
    page.click(selector),
  ]);
  await page.waitForLoadState('load');
  return response;
}

// The pages are rendered by the server: after `load` an element is there or it is not, so these
// look-ups do not wait (a missing element fails at once, with its selector in the message).
export async function attr(page, selector, name) {
  const el = await page.$(selector);
  return el ? el.getAttribute(name) : null;
}

export async function text(page, selector) {
  const el = await page.$(selector);
  return el ? ((await el.textContent()) || '').trim() : null;
}

export async function need(page, selector, what) {
  check((await page.$(selector)) !== null, `${what}: no ${selector} on ${page.url()}`);
}

export async function htmlLang(page) {
  return attr(page, 'html', 'lang');
}

export async function visible(page, selector) {
  const el = await page.$(selector);
  return el !== null && el.isVisible();
}

export function readJson(relative) {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, relative), 'utf8'));
}
