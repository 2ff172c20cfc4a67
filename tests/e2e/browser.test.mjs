// End-to-end tests of the search page and the document page in a real browser: Debian's
// Chromium driven by playwright-core (no browser download), against the real
// evidence-server on a free loopback port, over an index of the sample corpus.
//
// Run by CTest (label e2e), which passes the paths below in the environment:
//   EVIDENCE_SERVER, EVIDENCE_INDEXER, EVIDENCE_MAKE_PDF  the built executables
//   EVIDENCE_SOURCE_DIR                the repository (for corpus/sample and the thesaurus)
//   EVIDENCE_E2E_OUTPUT                where screenshots are saved
//   CHROMIUM                           the browser (default /usr/bin/chromium)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (!value) throw new Error(`${name} is not set (run this test through ctest)`);
  return value;
};
const source = env("EVIDENCE_SOURCE_DIR");
const output = env("EVIDENCE_E2E_OUTPUT");
const chromiumPath = env("CHROMIUM", "/usr/bin/chromium");
const browserArgs = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let work;
let server;
let base;
let browser;
let editorToken;  // made with `evidence-server token add`, for /admin
let readerToken;  // a member's, for reading members' documents in the pages
const problems = [];  // script errors and console errors seen on any page

// Starts evidence-server and resolves with its base URL once it says it is listening.
function startServer(index) {
  return new Promise((resolve, reject) => {
    // A copy of the sample corpus: the /admin test adds to it and withdraws from it.
    server = spawn(env("EVIDENCE_SERVER"), ["--index", index, "--corpus", join(work, "corpus"),
      "--tokens", join(work, "tokens.json"), "--audit-log", join(work, "audit.jsonl"),
      "--thesaurus", join(source, "schemas/thesaurus.json"), "--host", "127.0.0.1", "--port", "0",
      "--threads", "2", "--log-level", "warn"], { stdio: ["ignore", "pipe", "inherit"] });
    const timer = setTimeout(() => reject(new Error("evidence-server did not start")), 20000);
    let seen = "";
    server.stdout.on("data", (chunk) => {
      seen += chunk;
      const match = seen.match(/listening on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    });
    server.on("exit", (code) => reject(new Error(`evidence-server exited with ${code}`)));
  });
}

async function newPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.on("pageerror", (error) => problems.push(`${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`${page.url()}: ${message.text()}`);
  });
  return page;
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "evidence-e2e-"));
  mkdirSync(output, { recursive: true });
  cpSync(join(source, "corpus/sample"), join(work, "corpus"), { recursive: true });
  execFileSync(env("EVIDENCE_INDEXER"), ["--progress", "never", "--index", join(work, "index"), "--",
    join(work, "corpus")], { stdio: ["ignore", "ignore", "inherit"] });
  editorToken = execFileSync(env("EVIDENCE_SERVER"), ["token", "add", "e2e-editor", "--role", "editor",
    "--tokens", join(work, "tokens.json")], { stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
  readerToken = execFileSync(env("EVIDENCE_SERVER"), ["token", "add", "e2e-member", "--role", "reader",
    "--tokens", join(work, "tokens.json")], { stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
  base = await startServer(join(work, "index"));
  browser = await chromium.launch({ executablePath: chromiumPath, args: browserArgs, headless: true });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once("exit", (code, signal) => resolve(code ?? signal)));
    server.kill("SIGTERM");
    // A clean stop: under the sanitizers, a leak or an error report makes this non-zero.
    assert.equal(await exited, 0, "evidence-server did not stop cleanly");
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

test("search shows passages with page numbers; the first tab stop skips to the content", async () => {
  const page = await newPage();
  await page.goto(base + "/");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Skip to content");
  await page.getByLabel("Search the evidence library").fill("reintegration");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/\?q=reintegration$/);
  const first = page.locator("li.result").first();
  await first.waitFor();
  assert.match(await page.locator("p.summary").innerText(), /^\d+ documents? for “?reintegration”?/);
  assert.equal((await first.locator("blockquote mark").first().innerText()).toLowerCase(), "reintegration");
  const pageLinks = await first.locator("p.pages a.page").allInnerTexts();
  assert.ok(pageLinks.length >= 1);
  for (const text of pageLinks) assert.match(text, /^p\. \d+/);
  const pdf = await first.locator("a.pdf").first().getAttribute("href");
  assert.match(pdf, /^\/documents\/[a-z0-9._-]+\.pdf#page=\d+$/);
  assert.equal(await page.locator("svg[role=img] rect.bar").count() > 0, true);
  await page.screenshot({ path: join(output, "results.png"), fullPage: true });
  await page.context().close();
});

test("a facet filters the results, its link removes it, and the back button restores it", async () => {
  const page = await newPage();
  await page.goto(base + "/?q=reintegration");
  const all = Number((await page.locator("p.summary strong").innerText()).split(" ")[0]);
  const country = page.locator("section.facet", { has: page.locator("h3", { hasText: "Country" }) });
  const value = country.locator("li:not(.active) a").first();
  const text = await value.innerText();
  const label = text.replace(/\d+$/, "").trim();
  const shown = Number(text.match(/(\d+)$/)[1]);  // the count the link promises
  await value.click();
  await page.waitForURL(/country=/);
  const narrowed = Number((await page.locator("p.summary strong").innerText()).split(" ")[0]);
  assert.equal(narrowed, shown, `the link said ${shown} of ${all}`);
  const remove = page.locator(".active-filters a", { hasText: `Country: ${label}` });
  assert.equal(await remove.count(), 1);
  await remove.click();
  await page.waitForURL((url) => !url.search.includes("country="));
  assert.equal(await page.locator(".active-filters").count(), 0);
  await page.goBack();
  await page.waitForURL(/country=/);
  assert.equal(await page.locator(".active-filters a", { hasText: `Country: ${label}` }).count(), 1);
  await page.context().close();
});

test("pagination and sorting keep the state in the URL", async () => {
  const page = await newPage();
  await page.goto(base + "/?q=" + encodeURIComponent("trafficking OR survivors"));
  assert.equal(await page.locator("li.result").count(), 10);
  await page.getByRole("link", { name: "Next ›" }).click();
  await page.waitForURL(/offset=10/);
  assert.equal(await page.locator("ol.results").getAttribute("start"), "11");
  assert.ok(await page.locator("li.result").count() >= 1);
  await page.getByLabel("Sort by").selectOption("title");  // the script submits on change
  await page.waitForURL(/sort=title/);
  assert.ok(!page.url().includes("offset="), "a new order starts at the first page");
  const titles = await page.locator("li.result h2").allInnerTexts();
  assert.deepEqual(titles, [...titles].sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" })));
  await page.context().close();
});

test("selected results export as RIS", async () => {
  const page = await newPage();
  await page.goto(base + "/?q=reintegration");
  const boxes = page.locator("li.result input[type=checkbox]");
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await page.getByLabel("Export selected as").selectOption("ris");
  const [download] = await Promise.all([page.waitForEvent("download"),
    page.getByRole("button", { name: "Export selected" }).click()]);
  assert.match(download.url(), /\/api\/export\?id=[a-z0-9._-]+&id=[a-z0-9._-]+&format=ris$/);
  const text = await new Promise((resolve, reject) => {
    download.createReadStream().then((stream) => {
      let data = "";
      stream.on("data", (chunk) => { data += chunk; });
      stream.on("end", () => resolve(data));
      stream.on("error", reject);
    }, reject);
  });
  assert.equal(text.match(/^TY {2}- /gm).length, 2);
  await page.context().close();
});

test("results are readable without JavaScript", async () => {
  const page = await newPage({ javaScriptEnabled: false });
  await page.goto(base + "/?q=reintegration");
  assert.ok(await page.locator("li.result blockquote mark").count() >= 1);
  await page.locator("li.result h2 a").first().click();
  await page.locator("summary", { hasText: "Cite this document" }).click();
  const bibtex = page.locator("details.cite[open] .cite-formats a", { hasText: "BibTeX" });
  assert.match(await bibtex.getAttribute("href"), /^\/api\/documents\/[a-z0-9._-]+\/cite\?format=bibtex$/);
  await page.context().close();
});

// The sample corpus's members' minutes and restricted draft: a visitor without a token finds
// neither text ("Wrenfield" and "Tarvellin" stand only in their text), and the draft's page
// is 404 as for an unknown id.
test("a visitor without a token does not find the text of the members' minutes or the draft", async () => {
  const page = await newPage();
  for (const word of ["Wrenfield", "Tarvellin"]) {
    await page.goto(`${base}/?q=${word}`);
    assert.equal(await page.locator("li.result").count(), 0, word);
  }
  assert.equal((await fetch(`${base}/d/mrp-draft-returns-from-detention-2025`)).status, 404);
  assert.equal((await fetch(`${base}/d/mrp-no-such-document-000000000000`)).status, 404);
  await page.context().close();
});

test("a document page shows its matching pages and jumps to the one asked for", async () => {
  const page = await newPage();
  await page.goto(base + "/?q=reintegration");
  const first = page.locator("li.result").first();
  const pageLink = first.locator("p.pages a.page").last();
  const number = (await pageLink.innerText()).match(/^p\. (\d+)/)[1];
  await pageLink.click();
  await page.waitForURL(new RegExp(`/d/[a-z0-9._-]+\\?q=reintegration&page=${number}#p${number}$`));
  await page.locator("h1").waitFor();
  const current = page.locator("li.hit.current");
  assert.equal(await current.count(), 1);
  assert.equal(await current.getAttribute("id"), `p${number}`);
  assert.ok(await current.locator("blockquote mark").count() >= 1);
  assert.ok(await current.isVisible());
  assert.match(await page.locator("section.about").innerText(), /Organisations/);
  await page.screenshot({ path: join(output, "document.png"), fullPage: true });
  await page.context().close();
});

test("the cite panel shows a BibTeX entry and copies it", async () => {
  const page = await newPage({ permissions: ["clipboard-read", "clipboard-write"] });
  await page.goto(base + "/?q=reintegration");
  await page.locator("li.result h2 a").first().click();
  await page.locator("li.hit").first().waitFor();
  const hit = page.locator("li.hit").first();
  await hit.locator("summary", { hasText: "Cite this passage" }).click();
  await hit.locator(".cite-formats a", { hasText: "BibTeX" }).click();
  const entry = hit.locator(".cite-output pre");
  await page.waitForFunction((element) => element.textContent.trim().startsWith("@"), await entry.elementHandle());
  await hit.getByRole("button", { name: "Copy" }).click();
  await hit.locator(".copy-status", { hasText: "Copied" }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, await entry.textContent());
  assert.match(copied, /^@\w+\{/);
  await hit.screenshot({ path: join(output, "cite.png") });
  await page.context().close();
});

test("the PDF link opens the PDF at the passage's page", async () => {
  const page = await newPage();
  await page.goto(base + "/?q=reintegration");
  const link = page.locator("li.result a.pdf").first();
  const href = await link.getAttribute("href");
  const [, id, number] = href.match(/^\/documents\/([^/]+)\.pdf#page=(\d+)$/);
  const passagePage = await page.locator("li.result ul.passages li").first().locator("a.page").innerText();
  assert.equal(passagePage, `p. ${number}`);
  const response = await page.request.get(base + href);
  assert.equal(response.status(), 200);
  assert.equal(response.headers()["content-type"], "application/pdf");
  // Chromium shows the PDF at the page, or (some headless builds) downloads it: either way
  // it must be this document, and a page shown must be at the passage's page.
  const shown = page.waitForURL(new RegExp(`/documents/${id}\\.pdf#page=${number}$`), { timeout: 20000 })
    .then(() => page.url(), () => null);
  const downloaded = page.waitForEvent("download", { timeout: 20000 }).then((d) => d.url(), () => null);
  await link.click();
  const opened = await Promise.race([shown, downloaded]) ?? await Promise.all([shown, downloaded]).then((both) => both.find(Boolean));
  assert.ok(opened, "the PDF link neither opened nor downloaded the PDF");
  assert.ok(opened === `${base}/documents/${id}.pdf#page=${number}` || opened === `${base}/documents/${id}.pdf`, opened);
  await page.context().close();
});

test("staff sign in on /admin, upload a PDF with its metadata, correct it and withdraw it", async () => {
  // A two-page PDF of about 3 MB, like a real report (a browser announces its length), with a
  // word found nowhere else, on page 2.
  writeFileSync(join(work, "guide.txt"), "@title Browser upload\n@filler-image 3000000\n\n" +
    "A guide for shelter staff.\n\n@page\n\nThe quillfeather checklist helps staff spot signs of exploitation.\n");
  execFileSync(env("EVIDENCE_MAKE_PDF"), [join(work, "guide.txt"), join(work, "guide.pdf")]);
  assert.ok(statSync(join(work, "guide.pdf")).size > 3000000);

  const page = await newPage();
  await page.goto(`${base}/admin`);
  await page.fill("#token", "evl_wrong");
  await page.click("#signin-form button[type=submit]");
  await page.waitForSelector("#signin-error:not([hidden])");
  await page.fill("#token", editorToken);
  await page.click("#signin-form button[type=submit]");
  await page.waitForSelector("#upload:not([hidden])");
  assert.equal(await page.textContent("#who"), "e2e-editor");
  // The pages' session: a cookie no script can read, sent to this site only.
  const cookies = await page.context().cookies();
  assert.deepEqual(cookies.map((cookie) => [cookie.name, cookie.httpOnly, cookie.sameSite, cookie.path]),
    [["evidence_token", true, "Strict", "/"]]);
  assert.ok(cookies[0].expires * 1000 > Date.now() + 11 * 3600 * 1000, "the session lasts a working day");
  assert.equal(await page.evaluate(() => document.cookie), "");

  // The form comes from the document schema: vocabularies are choices.
  await page.setInputFiles("#upload-file", join(work, "guide.pdf"));
  await page.fill("#upload-title", "Quillfeather checklist for shelters");
  await page.fill("#upload-date", "2025-04");
  await page.selectOption("#upload-countries", ["GB", "NG"]);
  await page.fill("#upload-organisations", "Harbour Light Foundation");
  await page.fill("#upload-authors", "Okafor, Ada\nBrennan, Liam");
  await page.click("#upload-form button[type=submit]");
  await page.waitForSelector("#report h3", { timeout: 30000 });
  assert.equal(await page.textContent("#report h3"), "Added: Quillfeather checklist for shelters");
  assert.match(await page.textContent("#report"), /2 pages/);
  await page.screenshot({ path: join(output, "admin.png"), fullPage: false });

  // Searchable at once, on page 2, with the metadata given.
  const search = await newPage();
  await search.goto(`${base}/?q=quillfeather`);
  assert.equal((await search.textContent(".result h2")).trim(), "Quillfeather checklist for shelters");
  assert.match(await search.textContent(".result"), /p\. 2/);

  // An invalid edit marks its field; a valid one shows in search.
  await page.click("#documents tr:has-text('Quillfeather checklist') button:has-text('Edit')");
  await page.waitForSelector("#edit:not([hidden])");
  assert.equal(await page.inputValue("#edit-authors"), "Okafor, Ada\nBrennan, Liam");
  await page.fill("#edit-date", "yesterday");
  await page.click("#edit-form button[type=submit]");
  await page.waitForSelector("#edit-date[aria-invalid=true]");
  assert.match(await page.textContent("#edit-form .field[data-name=date] .field-error"), /date/);
  await page.fill("#edit-date", "2025-05");
  await page.fill("#edit-title", "Quillfeather checklist, second edition");
  await page.click("#edit-form button[type=submit]");
  await page.waitForFunction(() => !/…$/.test(document.querySelector("#edit-form .status").textContent));
  assert.equal(await page.textContent("#edit-form .status"), "Saved.");
  await search.goto(`${base}/?q=quillfeather`);
  assert.equal((await search.textContent(".result h2")).trim(), "Quillfeather checklist, second edition");

  // Withdrawn after a confirmation: gone from search.
  page.once("dialog", (dialog) => dialog.accept());
  await page.click("#documents tr:has-text('second edition') button:has-text('Withdraw')");
  await page.waitForFunction(() => /^Withdrawn:/.test(document.querySelector("#documents-status").textContent));
  await search.goto(`${base}/?q=quillfeather`);
  assert.equal(await search.locator(".result").count(), 0);
  await page.context().close();
  await search.context().close();
  // The wrong token (401) and the invalid date (422) were meant: the browser logs each
  // refused request as a console error; nothing else from /admin may be there.
  const expected = [/\/admin: Failed to load resource: .* 401 /, /\/admin: Failed to load resource: .* 422 /];
  for (const pattern of expected) {
    const at = problems.findIndex((problem) => pattern.test(problem));
    assert.notEqual(at, -1, `expected a console line like ${pattern}`);
    problems.splice(at, 1);
  }
});

// The console line a browser logs for a page answered with this status, taken out of `problems`.
function expectRefused(status) {
  const pattern = new RegExp(`Failed to load resource: .* ${status} `);
  const at = problems.findIndex((problem) => pattern.test(problem));
  assert.notEqual(at, -1, `expected a console line like ${pattern}`);
  problems.splice(at, 1);
}

test("an upload at the members' level, hidden, is 404 to anyone and read in the pages by a signed-in member", async () => {
  writeFileSync(join(work, "minutes.txt"), "@title Network minutes\n\nThe quillminute decisions of the " +
    "steering meeting on shelter funding.\n");
  execFileSync(env("EVIDENCE_MAKE_PDF"), [join(work, "minutes.txt"), join(work, "minutes.pdf")]);

  const staff = await newPage();
  await staff.goto(`${base}/admin`);
  await staff.fill("#token", editorToken);
  await staff.click("#signin-form button[type=submit]");
  await staff.waitForSelector("#upload:not([hidden])");
  // The level is a choice, public unless changed; groups are asked for only when restricted.
  // The catalogue (listed or hidden) only when it is not public; left alone, the level's default.
  assert.equal(await staff.inputValue("#upload-access"), "public");
  assert.equal(await staff.isVisible("#upload-groups"), false);
  assert.equal(await staff.isVisible("#upload-catalogue"), false);
  await staff.selectOption("#upload-access", "restricted");
  assert.equal(await staff.isVisible("#upload-groups"), true);
  await staff.selectOption("#upload-access", "members");
  assert.equal(await staff.isVisible("#upload-groups"), false);
  assert.equal(await staff.isVisible("#upload-catalogue"), true);
  assert.equal(await staff.inputValue("#upload-catalogue"), "");
  // Hidden: not even its brief summary is listed to those who may not read it.
  await staff.selectOption("#upload-catalogue", "hidden");
  await staff.setInputFiles("#upload-file", join(work, "minutes.pdf"));
  await staff.fill("#upload-title", "Quillminute network minutes");
  await staff.click("#upload-form button[type=submit]");
  await staff.waitForSelector("#report h3", { timeout: 30000 });
  const link = await staff.getAttribute("#report a", "href");
  assert.match(link, /\/d\/[a-z0-9._-]+$/);

  // Anyone else: no such document, in the pages as in search.
  const anyone = await newPage();
  const refused = await anyone.goto(`${base}${link}`);
  assert.equal(refused.status(), 404);
  await anyone.goto(`${base}/?q=quillminute`);
  assert.equal(await anyone.locator(".result").count(), 0);

  // A member signs in at /admin; the pages then read as that member, and say so.
  const member = await newPage();
  await member.goto(`${base}/admin`);
  await member.fill("#token", readerToken);
  await member.click("#signin-form button[type=submit]");
  await member.waitForSelector("#signed-in:not([hidden])");
  assert.equal(await member.isVisible("#upload"), false);  // a reader adds nothing
  await member.goto(`${base}/?q=quillminute`);
  assert.equal((await member.textContent(".result h2")).trim(), "Quillminute network minutes");
  const opened = await member.goto(`${base}${link}?page=1`);
  assert.equal(opened.status(), 200);
  assert.match(await member.textContent("section.page-text blockquote"), /quillminute decisions/);
  assert.equal(await member.textContent("header.site .session strong"), "e2e-member");
  await member.screenshot({ path: join(output, "member-document.png"), fullPage: false });

  // Signing out from the page's header ends the session: the document is gone again.
  await member.click("header.site .session a");
  await member.waitForSelector("#signed-out:not([hidden])");
  assert.deepEqual((await member.context().cookies()).map((cookie) => cookie.name), []);
  assert.equal((await member.goto(`${base}${link}`)).status(), 404);

  // The level is edited like any field: made public, anyone reads it.
  await staff.click(`#documents tr:has-text('Quillminute') button:has-text('Edit')`);
  await staff.waitForSelector("#edit:not([hidden])");
  assert.equal(await staff.inputValue("#edit-access"), "members");
  await staff.selectOption("#edit-access", "public");
  await staff.click("#edit-form button[type=submit]");
  await staff.waitForFunction(() => document.querySelector("#edit-form .status").textContent === "Saved.");
  assert.equal((await anyone.goto(`${base}${link}`)).status(), 200);
  await staff.click("#edit-cancel");

  staff.once("dialog", (dialog) => dialog.accept());
  await staff.click(`#documents tr:has-text('Quillminute') button:has-text('Withdraw')`);
  await staff.waitForFunction(() => /^Withdrawn:/.test(document.querySelector("#documents-status").textContent));
  for (const page of [staff, anyone, member]) await page.context().close();
  // The two 404s were meant: the browser logs each as a console error.
  expectRefused(404);
  expectRefused(404);
});

test("no page had a script error or a console error", () => {
  assert.deepEqual(problems, []);
});
