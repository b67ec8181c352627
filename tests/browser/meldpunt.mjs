// Browser tests of the meldpunt pages (docs/meldpunt-page-tests.md): a resident reports in Polish
// with a photo, with and without JavaScript, follows the report with the tracking code and adds
// a message; a missing field shows its error next to the field; Accept-Language picks the page's
// language; the API docs page renders without internet. Every meldpunt page is checked with
// axe-core and photographed at 360 and 1280 px.
//
//   BASE_URL=http://127.0.0.1:8080 SCREENSHOT_DIR=target/screenshots node tests/browser/meldpunt.mjs
//
// Fails (exit code 1) with a message on the first failed check; the last line of its output is a
// JSON summary for the Rust test (tests/api/browser.rs) to check against the API.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  attr, axe, check, EXIF_MARKER, htmlLang, need, jpegWithExif, launch, readJson, screenshots, serious, submit,
  targets, TestFailure, text, visible,
} from './lib.mjs';

const BASE_URL = (process.env.BASE_URL || '').replace(/\/$/, '');
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || 'target/screenshots';
const started = Date.now();

// A run that hangs is a failure too.
setTimeout(() => {
  console.error('browser tests: no result after 120 s');
  process.exit(2);
}, 120_000).unref();

const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const labels = readJson('data/complaint-categories.json').status_labels;
const run = Date.now().toString(36);
const taken = [];
const requests = [];
const cspErrors = [];
const notes = [];
let photo;

// Something the contract asks for that the core flows do not depend on: reported, not fatal.
function note(condition, message) {
  if (!condition && !notes.includes(message)) {
    notes.push(message);
    console.error(`contract: ${message}`);
  }
}

function watch(context, name) {
  context.on('request', (r) => requests.push({ context: name, url: r.url() }));
  context.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) cspErrors.push(`${name}: ${m.text()}`);
  });
  context.on('page', (p) =>
    p.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) cspErrors.push(`${name}: ${m.text()}`);
    }),
  );
  return context;
}

async function meldpuntHeaders(response, what) {
  const headers = await response.allHeaders();
  check(headers['content-security-policy'], `${what}: no Content-Security-Policy header`);
  check(!headers['set-cookie'], `${what}: sets a cookie (${headers['set-cookie']})`);
  note(/no-store/.test(headers['cache-control'] || ''), `${what}: Cache-Control is not no-store`);
  note(headers['referrer-policy'] === 'no-referrer', `${what}: Referrer-Policy is not no-referrer`);
  note(headers['x-content-type-options'] === 'nosniff', `${what}: X-Content-Type-Options is not nosniff`);
  note(headers['content-security-policy'] === CSP, `${what}: the CSP is ${headers['content-security-policy']}`);
}

async function accessible(page, name, withAxe) {
  if (!withAxe) return;
  const bad = serious(await axe(page, name));
  check(
    bad.length === 0,
    `axe: ${bad.length} serious or critical WCAG 2.1 AA violation(s) on ${name}: ` +
      bad.map((v) => `${v.id} (${v.help}) at ${targets(v)}`).join('; '),
  );
}

// What every meldpunt page has: the language switch, one main and one h1, `?lang=` on every link
// and form action (in-page anchors and the stylesheet aside).
async function structure(p, name) {
  const lang = await htmlLang(p);
  note(
    (await attr(p, `#languages a[hreflang="${lang}"]`, 'aria-current')) === 'true',
    `${name}: #languages has no link hreflang=${lang} with aria-current="true"`,
  );
  note((await p.$$('#languages a[hreflang]')).length === 6, `${name}: #languages has not six language links`);
  note((await p.$$('main#main')).length === 1, `${name}: not one main#main`);
  note((await p.$$('h1')).length === 1, `${name}: not one h1`);
  const targets = await p.$$eval('a[href], form[action]', (els) =>
    els.map((e) => e.getAttribute('href') ?? e.getAttribute('action')),
  );
  const local = targets.filter((t) => t.startsWith('/') && !t.startsWith('/meldpunt/assets/'));
  const without = local.filter((t) => !/[?&]lang=[a-z]{2}\b/.test(t));
  note(without.length === 0, `${name}: links or actions without ?lang=: ${without.join(', ')}`);
}

// The keyboard: the first Tab reaches a visible skip link to #main, and Tab alone reaches the
// submit button, which then shows where the focus is.
async function keyboard(p, name) {
  await p.keyboard.press('Tab');
  const first = await p.evaluate(() => {
    const el = document.activeElement;
    const box = el.getBoundingClientRect();
    return { href: el.getAttribute('href'), shown: box.width > 0 && box.height > 0 && box.top >= 0 };
  });
  note(first.href === '#main' && first.shown, `${name}: the first Tab does not show a skip link to #main`);
  let reached = false;
  for (let i = 0; i < 200 && !reached; i += 1) {
    await p.keyboard.press('Tab');
    reached = await p.evaluate(() => document.activeElement?.id === 'submit');
  }
  check(reached, `${name}: the submit button cannot be reached with Tab`);
  const ring = await p.evaluate(() => {
    const style = getComputedStyle(document.activeElement);
    return style.outlineStyle !== 'none' && style.outlineWidth !== '0px' ? 'outline' : style.boxShadow;
  });
  note(ring && ring !== 'none', `${name}: the focused submit button shows no outline or shadow`);
}

async function visit(p, name, opts) {
  await structure(p, `${opts.flow} ${name}`);
  if (opts.shots) {
    const overflow = await screenshots(p, name, SCREENSHOT_DIR, taken);
    note(overflow === null, `${name}: ${overflow} px wide on a 360 px screen (scrolls sideways)`);
  }
  await accessible(p, name, opts.axe);
}

async function openForm(p, lang, what) {
  const res = await p.goto(`${BASE_URL}/meldpunt?lang=${lang}`);
  check(res && res.status() === 200, `${what}: GET /meldpunt?lang=${lang} answered ${res && res.status()}`);
  await meldpuntHeaders(res, `${what}: /meldpunt`);
  check((await htmlLang(p)) === lang, `${what}: <html lang> is ${await htmlLang(p)}, not ${lang}`);
  check(await visible(p, 'form#report'), `${what}: no form#report`);
  const action = await attr(p, 'form#report', 'action');
  note(action === `/meldpunt?lang=${lang}`, `form#report action is ${action}, not /meldpunt?lang=${lang}`);
}

async function fill(p, selector, value) {
  await need(p, selector, 'a field to fill');
  await p.fill(selector, value);
}

async function tick(p, selector) {
  await need(p, selector, 'a box to tick');
  await p.check(selector);
}

const REPORT = { category: 'overcrowding', signal: 'documents_withheld', postcode: '3011 AB', house_number: '12' };

async function fillAddressCategorySignal(p) {
  await tick(p, `#category-${REPORT.category}`);
  await fill(p, '#postcode', REPORT.postcode);
  await fill(p, '#house_number', REPORT.house_number);
  await tick(p, `#signal-${REPORT.signal}`);
}

// The report with a photo, the tracking page, the status and a message; returns what was typed.
async function polishReport(context, flow, opts) {
  const p = await context.newPage();
  await openForm(p, 'pl', flow);
  await visit(p, 'form', opts);
  if (opts.axe) await keyboard(p, 'form');
  await fillAddressCategorySignal(p);
  const description = `Za dużo osób w jednym pokoju, właściciel zabrał nam paszporty. [${flow} ${run}]`;
  await fill(p, '#description', description);
  await need(p, '#photos', flow);
  await p.setInputFiles('#photos', photo);
  await need(p, '#anonymity-anonymous_to_landlord', flow);
  check(await p.isChecked('#anonymity-anonymous_to_landlord'), `${flow}: anonymous_to_landlord is not the default`);
  const res = await submit(p, '#submit');
  check(res.status() === 200, `${flow}: submitting the report answered ${res.status()}: ${await errorText(p)}`);
  await meldpuntHeaders(res, `${flow}: POST /meldpunt`);
  check((await htmlLang(p)) === 'pl', `${flow}: the result page is not lang=pl`);
  const code = (await text(p, '#tracking-code')) || '';
  check(/^[A-Z0-9]{4}([- ][A-Z0-9]{4})+$/.test(code), `${flow}: #tracking-code holds ${JSON.stringify(code)}`);
  await visit(p, 'result', opts);

  const link = await attr(p, '#track-link', 'href');
  check(link && link.startsWith('/meldpunt/track') && link.includes('lang=pl'), `${flow}: #track-link is ${link}`);
  await need(p, '#track-link', flow);
  const [trackRes] = await Promise.all([p.waitForNavigation(), p.click('#track-link')]);
  check(trackRes.status() === 200, `${flow}: ${link} answered ${trackRes.status()}`);
  await meldpuntHeaders(trackRes, `${flow}: /meldpunt/track`);
  check((await htmlLang(p)) === 'pl', `${flow}: the tracking page is not lang=pl`);
  check(
    (await attr(p, 'form#track', 'method'))?.toLowerCase() === 'post',
    `${flow}: form#track does not POST (the code would end up in URLs)`,
  );
  await visit(p, 'track', opts);

  await fill(p, '#code', '0000-0000-0000-0000-0000-0000-0000-0000');
  const wrong = await submit(p, '#track-submit');
  note(wrong.status() === 404, `an unknown tracking code answered ${wrong.status()}, not 404`);
  note(await visible(p, '#code-error'), 'an unknown tracking code shows no #code-error');

  await fill(p, '#code', code);
  const statusRes = await submit(p, '#track-submit');
  check(statusRes.status() === 200, `${flow}: the tracking code answered ${statusRes.status()}: ${await errorText(p)}`);
  await meldpuntHeaders(statusRes, `${flow}: POST /meldpunt/track`);
  const status = (await text(p, '#status')) || '';
  check(status.includes(labels.pl.received), `${flow}: #status is ${JSON.stringify(status)}, not ${labels.pl.received}`);
  check(!p.url().includes(code), `${flow}: the code is in the URL ${p.url()}`);
  await visit(p, 'status', opts);

  const message = `Dodatkowa informacja: w pokoju śpi osiem osób. [${flow} ${run}]`;
  await fill(p, '#text', message);
  const msgRes = await submit(p, '#message-submit');
  check(msgRes.status() === 200, `${flow}: adding a message answered ${msgRes.status()}: ${await errorText(p)}`);
  check(await visible(p, '#message-sent'), `${flow}: no #message-sent after adding a message`);
  const items = await p.$$('#messages li');
  const last = items.length ? ((await items[items.length - 1].textContent()) || '').trim() : '(no #messages li)';
  check(last.includes(message), `${flow}: the new message is not last in #messages (last: ${JSON.stringify(last)})`);
  await visit(p, 'message-sent', opts);

  const empty = await submit(p, '#message-submit');
  check(empty.status() === 422, `${flow}: an empty message answered ${empty.status()}, not 422`);
  check(await visible(p, '#text-error'), `${flow}: an empty message shows no #text-error`);
  check((await attr(p, '#text', 'aria-invalid')) === 'true', `${flow}: an empty message: #text is not aria-invalid`);
  await p.close();
  return { flow, tracking_code: code, description, message, ...REPORT };
}

async function errorText(p) {
  const errors = await p.locator('.field-error, #error-summary').allTextContents();
  return errors.length ? errors.map((t) => t.replace(/\s+/g, ' ').trim()).join(' | ') : (await p.locator('h1').allTextContents()).join(' ');
}

// A report sent twice by reloading the result page, without and with a photo: one report, the
// same code.
async function sentTwice(browser) {
  const context = watch(await browser.newContext({ javaScriptEnabled: false }), 'reload');
  const p = await context.newPage();
  await openForm(p, 'pl', 'reload');
  await fillAddressCategorySignal(p);
  const description = `Formularz wysłany dwa razy. [reload ${run}]`;
  await fill(p, '#description', description);
  const first = await submit(p, '#submit');
  check(first.status() === 200, `reload: the report answered ${first.status()}: ${await errorText(p)}`);
  const code = (await text(p, '#tracking-code')) || '';
  const again = await p.reload();
  check(again.request().method() === 'POST', 'reload: reloading the result page did not send the form again');
  check(again.status() === 200, `reload: the form sent again answered ${again.status()}: ${await errorText(p)}`);
  const second = (await text(p, '#tracking-code')) || '';
  check(second === code, `reload: the form sent again shows the code ${second}, not ${code}`);

  // With a photo: the browser sends the file again too.
  await openForm(p, 'pl', 'reload with photo');
  await fillAddressCategorySignal(p);
  const withPhotoDescription = `Formularz ze zdjęciem wysłany dwa razy. [reload-photo ${run}]`;
  await fill(p, '#description', withPhotoDescription);
  await p.setInputFiles('#photos', photo);
  const withPhoto = await submit(p, '#submit');
  check(withPhoto.status() === 200, `reload with photo: the report answered ${withPhoto.status()}`);
  const photoCode = (await text(p, '#tracking-code')) || '';
  const resent = await p.reload();
  check(resent.status() === 200, `reload with photo: the form sent again answered ${resent.status()}: ${await errorText(p)}`);
  const shown = (await text(p, '#tracking-code')) || '';
  check(shown === photoCode, `reload with photo: the form sent again shows the code ${shown}, not ${photoCode}`);
  await noCookies(context, 'reload');
  await context.close();
  return [
    { tracking_code: code, description },
    { tracking_code: photoCode, description: withPhotoDescription },
  ];
}

// No description: 422, the error next to the field and linked to it, the other values kept.
async function missingDescription(context, opts) {
  const p = await context.newPage();
  await openForm(p, 'pl', 'missing field');
  await fillAddressCategorySignal(p);
  const res = await submit(p, '#submit');
  check(res.status() === 422, `missing field: a report without description answered ${res.status()}, not 422`);
  await meldpuntHeaders(res, 'missing field: POST /meldpunt');
  check((await htmlLang(p)) === 'pl', 'missing field: the error page is not lang=pl');
  check(await visible(p, '#description-error'), 'missing field: #description-error is not visible');
  const invalid = await attr(p, '#description', 'aria-invalid');
  check(invalid === 'true', `missing field: #description has aria-invalid=${invalid}`);
  const describedBy = ((await attr(p, '#description', 'aria-describedby')) || '').split(/\s+/);
  check(describedBy.includes('description-error'), `missing field: #description aria-describedby is ${describedBy.join(' ')}`);
  for (const field of [`#category-${REPORT.category}`, '#postcode', '#house_number', `#signal-${REPORT.signal}`]) {
    await need(p, field, 'missing field: the form again');
  }
  check(await p.isChecked(`#category-${REPORT.category}`), 'missing field: the category was not kept');
  check((await p.inputValue('#postcode')) === REPORT.postcode, 'missing field: the postcode was not kept');
  check((await p.inputValue('#house_number')) === REPORT.house_number, 'missing field: the house number was not kept');
  check(await p.isChecked(`#signal-${REPORT.signal}`), 'missing field: the ticked signal was not kept');
  note(
    (await attr(p, '#error-summary', 'role')) === 'alert' &&
      (await p.locator('#error-summary a[href="#description"]').count()) === 1,
    'no #error-summary role=alert with a link to #description',
  );
  await visit(p, 'form-error', opts);

  // Nothing at all: a missing address and place description is reported at the postcode.
  await openForm(p, 'pl', 'empty form');
  const none = await submit(p, '#submit');
  check(none.status() === 422, `empty form: answered ${none.status()}, not 422`);
  for (const field of ['category', 'postcode', 'description']) {
    check(await visible(p, `#${field}-error`), `empty form: no #${field}-error`);
    note((await p.$$(`#error-summary a[href="#${field}"]`)).length === 1, `empty form: no summary link to #${field}`);
  }
  await p.close();
}

async function acceptLanguage(browser) {
  const context = watch(
    await browser.newContext({ locale: 'ro-RO', extraHTTPHeaders: { 'Accept-Language': 'ro-RO,ro;q=0.9' } }),
    'ro',
  );
  const p = await context.newPage();
  const res = await p.goto(`${BASE_URL}/meldpunt`);
  check(res.status() === 200, `Accept-Language: GET /meldpunt answered ${res.status()}`);
  check((await htmlLang(p)) === 'ro', `Accept-Language ro: <html lang> is ${await htmlLang(p)}`);
  const action = await attr(p, 'form#report', 'action');
  note(action === '/meldpunt?lang=ro', `with Accept-Language ro the form action is ${action}, not /meldpunt?lang=ro`);
  await noCookies(context, 'ro');
  await context.close();
}

async function docs(browser) {
  const context = watch(await browser.newContext({ bypassCSP: true }), 'docs');
  const p = await context.newPage();
  const res = await p.goto(`${BASE_URL}/docs/`);
  check(res.status() === 200, `GET /docs/ answered ${res.status()}`);
  const title = p.locator('.swagger-ui .info .title');
  await title.waitFor({ state: 'visible', timeout: 15_000 });
  const shown = (await title.textContent()) || '';
  check(shown.includes('Huurtoezicht API'), `the docs page shows the title ${JSON.stringify(shown)}`);
  await p.waitForLoadState('networkidle');
  await screenshots(p, 'docs', SCREENSHOT_DIR, taken);
  // Third-party Swagger UI: reported, not failed.
  const violations = await axe(p, 'docs');
  await noCookies(context, 'docs');
  await context.close();
  return violations.length;
}

async function noCookies(context, name) {
  const cookies = await context.cookies();
  check(cookies.length === 0, `${name}: cookies were set: ${cookies.map((c) => c.name).join(', ')}`);
}

function onlyLocalRequests() {
  const base = new URL(BASE_URL);
  const away = requests.filter(({ url }) => {
    const u = new URL(url);
    if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return false;
    return u.hostname !== '127.0.0.1' || u.port !== base.port;
  });
  check(away.length === 0, `requests left the server: ${away.map((r) => `${r.context} ${r.url}`).join(', ')}`);
}

// "Nobody may know who I am" hides the contact details with CSS alone (no script runs here).
async function contactFollowsAnonymity(context) {
  const p = await context.newPage();
  await openForm(p, 'ro', 'anonymity');
  check(await visible(p, '#contact'), 'anonymity: the contact details are hidden by default');
  await p.check('#anonymity-fully_anonymous');
  check(!(await visible(p, '#contact')), 'anonymity: "nobody" chosen, yet the contact details are shown');
  await p.check('#anonymity-anonymous_to_landlord');
  check(await visible(p, '#contact'), 'anonymity: the contact details do not come back');
  await p.close();
}

async function main() {
  check(BASE_URL.startsWith('http://127.0.0.1:'), `BASE_URL must be http://127.0.0.1:<port>, not ${BASE_URL}`);
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const browser = await launch();
  try {
    const withJs = watch(await browser.newContext({ bypassCSP: true }), 'js');
    withJs.setDefaultTimeout(15_000);
    const blank = await withJs.newPage();
    // On disk, as a resident's photo is: a reload sends a file input's file again only then.
    photo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'meldpunt-photo-')), 'zdjecie.jpg');
    fs.writeFileSync(photo, await jpegWithExif(blank));
    await blank.close();
    const shots = { flow: 'js', shots: true, axe: true };
    await missingDescription(withJs, shots);
    const js = await polishReport(withJs, 'js', shots);
    await noCookies(withJs, 'js');
    await withJs.close();

    // Without bypassCSP: the pages must work under their own Content-Security-Policy.
    const noJs = watch(await browser.newContext({ javaScriptEnabled: false }), 'nojs');
    noJs.setDefaultTimeout(15_000);
    const nojs = await polishReport(noJs, 'nojs', { flow: 'nojs', shots: false, axe: false });
    await contactFollowsAnonymity(noJs);
    await noCookies(noJs, 'nojs');
    await noJs.close();
    check(cspErrors.length === 0, `Content-Security-Policy violations: ${cspErrors.join(' | ')}`);

    const resent = await sentTwice(browser);
    await acceptLanguage(browser);
    const docsViolations = await docs(browser);
    onlyLocalRequests();
    console.log(
      JSON.stringify({
        ok: true,
        run,
        seconds: (Date.now() - started) / 1000,
        exif_marker: EXIF_MARKER,
        reports: [js, nojs],
        resent,
        screenshots: taken,
        requests: requests.length,
        docs_axe_violations: docsViolations,
        contract_notes: notes,
      }),
    );
  } finally {
    await browser.close();
    if (photo) fs.rmSync(path.dirname(photo), { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof TestFailure ? `browser test failed: ${e.message}` : e);
  process.exit(1);
});
