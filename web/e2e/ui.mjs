// End-to-end tests of the web UI in a real browser: Playwright (playwright-core) driving Debian's
// Chromium against a real `renkei serve`. Started by tests/e2e/web_ui.py, which sets up the hub
// and passes the configuration as JSON on stdin; prints one JSON line per check.
import { chromium } from "playwright-core";
import { readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const cfg = JSON.parse(readFileSync(0, "utf8"));
const base = cfg.url;
const results = [];
const check = (name, ok, detail = "") => {
  results.push({ name, ok: !!ok, detail: ok ? "" : String(detail).slice(0, 2000) });
  console.log(JSON.stringify(results[results.length - 1]));
};

const browser = await chromium.launch({
  executablePath: cfg.chromium || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});

async function session(lang = "en") {
  const context = await browser.newContext({ locale: lang === "ja" ? "ja-JP" : "en-GB", timezoneId: "Asia/Tokyo",
                                             viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  const dialogs = [];
  page.on("dialog", async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  const outside = [];
  context.on("request", (r) => { if (!r.url().startsWith(base) && !r.url().startsWith("data:")) outside.push(r.url()); });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // Anything the UI's own policy refused would be a page that breaks under it.
  page.on("console", (m) => { if (m.type() === "error" && m.text().includes("Content Security Policy")) errors.push(m.text()); });
  return { context, page, dialogs, outside, errors };
}

async function login(page, who, lang) {
  await page.goto(base + "/");
  if (lang) await page.evaluate((l) => localStorage.setItem("renkei.lang", l), lang);
  await page.goto(base + "/");
  await page.fill("#login", who.login);
  await page.fill("#password", who.password);
  await page.click("button[type=submit]");
  await page.waitForSelector("[data-testid=who]", { timeout: 10000 });
}

const shots = cfg.screenshots;
if (shots) mkdirSync(shots, { recursive: true });
const shot = async (page, name) => { if (shots) await page.screenshot({ path: join(shots, name + ".png"), fullPage: true }); };

try {
  // ---- The page itself: its security headers ----
  {
    const r = await fetch(base + "/");
    const csp = r.headers.get("content-security-policy") || "";
    check("index.csp", csp.includes("script-src 'self'") && !csp.includes("unsafe-inline") && csp.includes("frame-ancestors 'none'"), csp);
    check("index.nosniff", r.headers.get("x-content-type-options") === "nosniff");
  }

  // ---- Wrong password ----
  {
    const { context, page } = await session("en");
    await page.goto(base + "/");
    await page.fill("#login", cfg.users.submitter.login);
    await page.fill("#password", "not the password");
    await page.click("button[type=submit]");
    const alert = await page.waitForSelector("[role=alert]", { timeout: 10000 }).then((e) => e.textContent());
    check("login.wrong_password", alert.includes("Wrong login or password"), alert);
    await shot(page, "login-en");
    await context.close();
  }

  // ---- Every role logs in and sees what it may ----
  const expectations = {
    hub_admin: { admin: true, submit: true },
    hub_analyst: { admin: false, submit: true },
    submitter: { admin: false, submit: true },
    reader: { admin: false, submit: false },
    liaison: { admin: false, submit: true },
  };
  for (const [role, want] of Object.entries(expectations)) {
    const { context, page } = await session("en");
    await login(page, cfg.users[role]);
    const nav = await page.locator("header nav").textContent();
    check(`role.${role}.admin_link`, nav.includes("Administration") === want.admin, nav);
    check(`role.${role}.report_link`, nav.includes("Report") === want.submit, nav);
    // The session cookie is HttpOnly: the page's script cannot read it.
    const visible = await page.evaluate(() => document.cookie);
    check(`role.${role}.cookie_httponly`, !visible.includes("renkei_session"), visible);
    const cookies = await context.cookies();
    const c = cookies.find((x) => x.name === "renkei_session");
    check(`role.${role}.cookie_flags`, c && c.httpOnly && c.secure && c.sameSite === "Strict", JSON.stringify(c));
    await page.click("[data-testid=logout]");
    await page.waitForSelector("#login", { timeout: 10000 });
    const after = await page.evaluate(async () => (await fetch("/api/v1/session")).status);
    check(`role.${role}.logout`, after === 401, after);
    await context.close();
  }

  // ---- A submitter reports mail by the file picker and reads the verdict ----
  let seedId = 0;
  {
    const { context, page, errors } = await session("en");
    await login(page, cfg.users.submitter);
    await page.goto(base + "/submit");
    await page.setInputFiles("[data-testid=file-input]", [cfg.files.lookalike, cfg.files.hostile]);
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=submit-results] li").length === 2, null, { timeout: 20000 });
    const items = await page.locator("[data-testid=submit-results] li").allTextContents();
    const ids = items.map((t) => Number((t.match(/#(\d+)/) || [])[1]));
    check("submit.two_files", ids.length === 2 && ids.every((n) => n > 0), items.join(" | "));
    seedId = ids[0];
    cfg.hostileId = ids[1];

    // Drag and drop of a file onto the drop zone.
    const dropped = readFileSync(cfg.files.dropped, "utf8");
    const transfer = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], "dropped.eml", { type: "message/rfc822" }));
      return dt;
    }, dropped);
    await page.dispatchEvent("[data-testid=dropzone]", "drop", { dataTransfer: transfer });
    await page.waitForFunction(() => document.querySelector("[data-testid=submit-results]")?.textContent?.includes("dropped.eml"), null,
                               { timeout: 20000 });
    const droppedLine = await page.locator("[data-testid=submit-results] li").last().textContent();
    check("submit.drag_and_drop", /dropped\.eml.*#\d+/.test(droppedLine), droppedLine);
    check("submit.results_kept", (await page.locator("[data-testid=submit-results] li").count()) === 3);

    // A consultation through the form, with its category.
    await page.selectOption("#kind", "consultation");
    await page.selectOption("#category", "bec");
    await page.fill("#text", "取引先を名乗る振込先変更の依頼が届きました。確認方法を相談したいです。");
    await page.click("[data-testid=report-form] button[type=submit]");
    const sentLine = await page.waitForSelector("[data-testid=report-form] a[href^='/submissions/']", { timeout: 10000 }).then((e) => e.textContent());
    check("submit.consultation_form", /#\d+/.test(sentLine), sentLine);
    await shot(page, "submit-en");

    // The submitter's own view: the look-alike is "a protected domain", never whose — another
    // member registered b-companys.com.cc (lib/hub/redact.hpp).
    await page.goto(base + `/submissions/${seedId}`);
    await page.waitForSelector("[data-testid=verdict]", { timeout: 30000 });
    await page.waitForFunction(() => !document.body.textContent.includes("not finished yet"), null, { timeout: 30000 });
    const ownNotes = await page.locator("[data-testid=lookalike-note]").allTextContents();
    const ownSignals = await page.locator("[data-testid=signals]").textContent();
    check("detail.participant_not_told_whose_domain",
          !ownNotes.some((n) => n.includes("b-companys.com.cc")) && !ownSignals.includes("a domain of B Companys")
          && ownSignals.includes("protected domain"), ownNotes.join(" | ") + " || " + ownSignals);
    await context.close();
  }
  // The hub's analyst sees whose domain is imitated, drawn character by character.
  {
    const { context, page, errors } = await session("en");
    await login(page, cfg.users.hub_analyst);
    await page.goto(base + `/submissions/${seedId}`);
    await page.waitForSelector("[data-testid=verdict]", { timeout: 30000 });
    await page.waitForFunction(() => !document.body.textContent.includes("not finished yet"), null, { timeout: 30000 });
    const verdict = await page.locator("[data-testid=verdict]").first().textContent();
    check("detail.verdict", verdict === "BEC", verdict);
    // The look-alike sender is drawn against the domain it imitates, the differing characters marked.
    const notes = await page.locator("[data-testid=lookalike-note]").allTextContents();
    const techniques = await page.locator("[data-testid=lookalike-note]").first().getAttribute("data-techniques");
    check("detail.lookalike_note", notes.some((n) => n.includes("look-alike of b-companys.com.cc") && n.includes("labels reordered")) && techniques.includes("label-reorder"), notes.join(" | "));
    const marks = await page.locator("mark.diff").allTextContents();
    check("detail.diff_marked", marks.length > 0 && marks.join("").includes("-"), marks.join(","));
    const homoglyph = await page.locator("[data-testid=address]", { hasText: "cornpanysgroup" }).locator("mark.diff").allTextContents();
    check("detail.homoglyph_marked", homoglyph.join("").includes("rn"), homoglyph.join(","));
    const signals = await page.locator("[data-testid=signals] li").count();
    check("detail.signals", signals >= 3, signals);
    const indicators = await page.locator("[data-testid=indicators]").textContent();
    check("detail.indicators_defanged", indicators.includes("b-companys-cc[.]com") && !indicators.includes("b-companys-cc.com"), indicators);
    check("detail.no_page_errors", errors.length === 0, errors.join("\n"));
    const meta = await page.locator("[data-testid=submission-detail] p.muted").first().textContent();
    check("detail.local_time_zone", meta.includes("GMT+9") || meta.includes("JST"), meta);
    await shot(page, "detail-en");

    // The same page in Japanese.
    await page.click("[data-testid=lang-switch]");
    const head = await page.locator("h2").first().textContent();
    check("detail.japanese", (await page.locator("body").textContent()).includes("本当の送信者"), head);
    const verdictJa = await page.locator("[data-testid=verdict]").first().textContent();
    check("detail.verdict_ja", verdictJa === "ビジネスメール詐欺", verdictJa);
    const notesJa = await page.locator("[data-testid=lookalike-note]").allTextContents();
    check("detail.lookalike_note_ja", notesJa.some((n) => n.includes("b-companys.com.cc の類似ドメイン") && n.includes("ラベルの入れ替え")),
          notesJa.join(" | "));
    await shot(page, "detail-ja");
    // The choice is remembered.
    await page.reload();
    await page.waitForSelector("[data-testid=who]");
    check("lang.remembered", (await page.locator("[data-testid=lang-switch]").textContent()) === "English");
    await context.close();
  }

  // ---- Hostile HTML: nothing runs, nothing loads ----
  {
    const { context, page, dialogs, outside, errors } = await session("en");
    await login(page, cfg.users.submitter);
    await page.goto(base + `/submissions/${cfg.hostileId}`);
    await page.waitForSelector("[data-testid=body-text]", { timeout: 30000 });
    await page.click("[data-testid=show-html]");
    const frame = await page.waitForSelector("[data-testid=html-frame]");
    check("hostile.iframe_sandboxed", (await frame.getAttribute("sandbox")) === "", await frame.getAttribute("sandbox"));
    await page.waitForTimeout(2500);
    const inner = page.frames().find((f) => f.url().includes("/body.html"));
    const innerText = inner ? await inner.evaluate(() => document.body.innerText).catch(() => "(opaque)") : "";
    check("hostile.frame_rendered", inner !== undefined, page.frames().map((f) => f.url()).join(" "));
    check("hostile.no_dialogs", dialogs.length === 0, dialogs.join(" | "));
    check("hostile.no_outside_requests", outside.length === 0, outside.join(" | "));
    const remote = await page.locator("[data-testid=remote-images]").textContent().catch(() => "");
    check("hostile.remote_images_listed", remote.includes("canary"), remote);
    check("hostile.parent_untouched", !(await page.evaluate(() => window.__pwned === true)));
    check("hostile.no_page_errors", errors.length === 0, errors.join("\n"));
    await shot(page, "hostile-en");
    await context.close();
    check("hostile.frame_text", innerText === "(opaque)" || innerText.includes("Invoice"), innerText.slice(0, 200));
  }

  // ---- A participant never sees another organisation's submission ----
  {
    const { context, page } = await session("en");
    await login(page, cfg.users.submitter);
    await page.goto(base + `/submissions/${cfg.otherOrgSubmission}`);
    const alert = await page.waitForSelector("[role=alert]", { timeout: 10000 }).then((e) => e.textContent());
    check("isolation.other_org_not_found", alert.includes("Not found"), alert);
    await page.goto(base + "/submissions");
    await page.waitForSelector("[data-testid=submission-row]", { timeout: 10000 });
    const rows = await page.locator("[data-testid=submission-row] td:first-child").allTextContents();
    const ids = rows.map((r) => Number(r.replace("#", "")));
    check("isolation.list_own_only", ids.length > 0 && ids.every((n) => cfg.ownOrgSubmissions.includes(n)), ids.join(","));
    await page.goto(base + "/admin");
    check("isolation.no_admin_page", !(await page.locator(".tabs").count()));
    await context.close();
  }

  // ---- Hub admin: list, search, paging, dashboard, administration; both languages ----
  for (const lang of ["en", "ja"]) {
    const { context, page, errors } = await session(lang);
    await login(page, cfg.users.hub_admin, lang);
    await page.waitForSelector("[data-testid=quarter-cards]");
    await page.waitForFunction(() => !document.querySelector("[data-testid=quarter-cards] .num")?.textContent?.includes("—"), null, { timeout: 10000 });
    await shot(page, `dashboard-${lang}`);
    await page.goto(base + "/submissions");
    await page.waitForSelector("[data-testid=submission-row]");
    const first = await page.locator("[data-testid=submission-row]").count();
    check(`list.${lang}.page`, first === 50, first);
    await page.click("[data-testid=more]");
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=submission-row]").length > 50, null, { timeout: 10000 });
    check(`list.${lang}.more`, (await page.locator("[data-testid=submission-row]").count()) > 50);
    await shot(page, `list-${lang}`);
    await page.fill("[data-testid=search]", "振込先");
    await page.press("[data-testid=search]", "Enter");
    await page.waitForFunction(() => location.search.includes("q="));
    await page.waitForSelector("[data-testid=submission-row]", { timeout: 10000 });
    const hits = await page.locator("[data-testid=submission-row]").count();
    check(`list.${lang}.search_japanese`, hits > 0 && hits < 50, hits);
    await page.goto(base + "/admin/orgs");
    await page.waitForSelector("[data-testid=org-table] tbody tr");
    check(`admin.${lang}.orgs`, (await page.locator("[data-testid=org-table] tbody tr").count()) > 20);
    await shot(page, `admin-orgs-${lang}`);
    if (lang === "en") {
      // Registry data edited in the browser: an executive added to the first organisation.
      const row = page.locator("[data-testid=org-table] tbody tr").first();
      await row.locator("button.link").click();
      await page.fill("[data-testid=vips-editor]", "Hanako Browser | 試験花子 | CFO | h.browser@example.org");
      await page.click("text=Save");
      const saved = await page
        .waitForFunction(() => document.querySelector("[data-testid=org-table] tbody tr")?.textContent?.includes("Hanako Browser"), null,
                         { timeout: 10000 })
        .then(() => true, () => false);
      const alert = await page.locator("[role=alert]").allTextContents();
      check("admin.edit_vips", saved, alert.join(" ") || (await page.locator("[data-testid=org-table] tbody tr").first().textContent()));
    }
    await page.goto(base + "/admin/users");
    await page.waitForSelector("[data-testid=user-table] tbody tr");
    await shot(page, `admin-users-${lang}`);
    check(`admin.${lang}.no_page_errors`, errors.length === 0, errors.join("\n"));
    await context.close();
  }
} catch (e) {
  check("run", false, e && e.stack ? e.stack : e);
} finally {
  await browser.close();
}
process.exit(results.every((r) => r.ok) ? 0 : 1);
