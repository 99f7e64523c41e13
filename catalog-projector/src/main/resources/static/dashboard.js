// Lifeboat's dashboard: plain JavaScript over the catalog and coordinator APIs, no build step.
// Every text from the APIs goes into the page as text (never as HTML).
"use strict";

const FINAL = ["SUCCEEDED", "INVALID", "FAILED", "ROLLED_BACK"];
let timer = null;

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "style") Object.assign(e.style, v); // CSSOM: the CSP allows no inline style
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

const badge = (s) => el("span", { class: "badge s-" + s, "data-status": s }, s);
const link = (href, text) => el("a", { href }, text);

function bytes(n) {
  if (n === null || n === undefined) return "–";
  const u = ["B", "KB", "MB", "GB", "TB"];
  let i = 0, v = Number(n);
  while (v >= 1000 && i < u.length - 1) { v /= 1000; i++; }
  return (i === 0 ? v : v.toFixed(1)) + " " + u[i];
}
function secs(ms) { return ms === null || ms === undefined ? "–" : (ms / 1000).toFixed(1) + " s"; }
function age(s) {
  if (s === null || s === undefined) return "–";
  if (s < 120) return s + " s";
  if (s < 7200) return Math.round(s / 60) + " min";
  if (s < 172800) return (s / 3600).toFixed(1) + " h";
  return (s / 86400).toFixed(1) + " d";
}
function when(t) { return t ? new Date(t).toLocaleString() : "–"; }
function ratio(x) { return x ? Number(x).toFixed(2) + "×" : "–"; }

// A read: open in single mode; in roles mode (401) asks once for a token, kept for this tab.
let asking = null;
async function get(path) {
  for (let attempt = 0; attempt < 2; attempt++) {
    const token = sessionStorage.getItem("lifeboat.token");
    const headers = { Accept: "application/json" };
    if (token) headers.Authorization = "Bearer " + token;
    const r = await fetch(path, { headers });
    if (r.status === 401 && attempt === 0) {
      sessionStorage.removeItem("lifeboat.token");
      asking = asking || askToken().finally(() => { asking = null; });
      const t = await asking;
      if (!t) break;
      sessionStorage.setItem("lifeboat.token", t);
      continue;
    }
    if (r.status === 404) return null;
    if (!r.ok) throw new Error(path + " answered " + r.status);
    return r.json();
  }
  throw new Error(path + " needs a token: lifeboat token add NAME --role viewer");
}

function askToken() {
  return new Promise((resolve) => {
    const d = document.getElementById("token-dialog");
    const input = document.getElementById("token-input");
    input.value = "";
    d.addEventListener("close", function once() {
      d.removeEventListener("close", once);
      resolve(d.returnValue === "ok" && input.value ? input.value.trim() : null);
    });
    d.showModal();
    input.focus();
  });
}

// A call that changes something: asks for the token (kept for this tab), once more if refused.
async function post(path, body) {
  for (let attempt = 0; attempt < 2; attempt++) {
    let token = sessionStorage.getItem("lifeboat.token");
    if (!token) {
      token = await askToken();
      if (!token) return null;
      sessionStorage.setItem("lifeboat.token", token);
    }
    const headers = { Authorization: "Bearer " + token };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const r = await fetch(path, { method: "POST", headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (r.status === 401 || r.status === 403) { sessionStorage.removeItem("lifeboat.token"); continue; }
    const answer = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(answer.error || path + " answered " + r.status);
    return answer;
  }
  throw new Error("the API token was refused");
}

function table(headers, rows, attrs) {
  return el("table", attrs || {},
    el("thead", {}, el("tr", {}, headers.map((h) => el("th", { class: h.num ? "num" : null }, h.label || h)))),
    el("tbody", {}, rows.length ? rows : el("tr", {}, el("td", { colspan: headers.length, class: "muted" }, "nothing yet"))));
}
const td = (x, num) => el("td", { class: num ? "num" : null }, x);

function bars(title, values, format) {
  const w = 600, h = 140, n = Math.max(values.length, 1), max = Math.max(...values.map((v) => v.v), 1);
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  svg.setAttribute("preserveAspectRatio", "none");
  values.forEach((v, i) => {
    const bh = Math.max(1, (v.v / max) * (h - 10));
    const r = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    r.setAttribute("x", (i * w) / n + 1); r.setAttribute("width", Math.max(1, w / n - 2));
    r.setAttribute("y", h - bh); r.setAttribute("height", bh);
    r.setAttribute("class", "bar" + (v.bad ? " bad" : ""));
    const t = document.createElementNS("http://www.w3.org/2000/svg", "title");
    t.textContent = v.label + ": " + format(v.v);
    r.append(t); svg.append(r);
  });
  return el("div", { class: "chart" }, el("div", { class: "muted" }, title + " (max " + format(max) + ")"), svg);
}

// ---- pages

async function overview(main) {
  const [m, recent, alerts, recoveries] = await Promise.all([
    get("/api/metrics"), get("/api/backups?limit=40"), get("/api/alerts?limit=8"), get("/api/recoveries?limit=6")]);
  const b = m.backups;
  const ok = b.byStatus.SUCCESS || 0;
  const bad = (b.byStatus.FAILED || 0) + (b.byStatus.REJECTED || 0) + (b.byStatus.PARTIAL || 0);
  main.append(el("h2", {}, "Overview"),
    el("div", { class: "cards" },
      card("successful backups", ok), card("failed, partial or rejected", bad),
      card("stored", bytes(b.storedBytes)), card("dedup ratio", ratio(b.dedupRatio)),
      card("compression", ratio(b.compressionRatio)),
      card("restores by recoveries", m.restores.count),
      card("recoveries and tests", Object.values(m.recoveries.byModeAndStatus)
        .reduce((a, s) => a + Object.values(s).reduce((x, y) => x + y, 0), 0))));
  main.append(el("h3", {}, "Recovery points (RPO now)"), table(
    ["backup name", "last status", "last success", { label: "RPO now", num: 1 }, { label: "size", num: 1 }, { label: "backups", num: 1 }],
    b.names.map((n) => el("tr", { "data-name": n.name },
      td(link("#/backups?name=" + encodeURIComponent(n.name), n.name)), td(badge(n.lastStatus)),
      td(when(n.lastSuccessAt)), td(age(n.rpoSeconds), 1), td(bytes(n.lastSizeBytes), 1), td(n.backups, 1))),
    { id: "rpo-table" }));
  const done = (recent || []).filter((x) => x.completedAt).reverse();
  main.append(el("h3", {}, "Recent backups"), el("div", { class: "charts" },
    bars("size", done.map((x) => ({ v: x.sizeBytes, label: x.backupId, bad: x.status !== "SUCCESS" })), bytes),
    bars("duration", done.map((x) => ({ v: x.durationMs, label: x.backupId, bad: x.status !== "SUCCESS" })), secs)));
  const newest = (recent || []).find((x) => x.status === "SUCCESS");
  if (newest) {
    main.append(el("h3", {}, "Storage locations (newest backup)"), table(
      ["location", "role", "state", { label: "missing chunks", num: 1 }],
      newest.locationStatus.map((l) => el("tr", {}, td(l.location), td(l.primary ? "primary" : "replica"),
        td(l.complete ? badge("ok") : badge(l.error ? "bad" : "warn")), td(l.missingChunks, 1)))));
  }
  main.append(el("h3", {}, "Recent recoveries"), recoveryTable(recoveries || []));
  main.append(el("h3", {}, "Recent alerts"), alertTable(alerts || []));
}
function card(k, v) { return el("div", { class: "card" }, el("div", { class: "v" }, v), el("div", { class: "k" }, k)); }

async function backups(main, params) {
  const q = new URLSearchParams(params);
  const form = el("form", { class: "filters", id: "filters", onsubmit: (e) => {
    e.preventDefault();
    const f = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) f.set(k, v);
    location.hash = "#/backups" + (f.toString() ? "?" + f : "");
  } },
    el("input", { name: "name", placeholder: "name", value: q.get("name") || "" }),
    el("select", { name: "status" }, ["", "SUCCESS", "PARTIAL", "FAILED", "REJECTED", "CANCELLED", "RUNNING", "DELETED"]
      .map((s) => el("option", { value: s, selected: q.get("status") === s }, s || "any status"))),
    el("input", { name: "component", placeholder: "component", value: q.get("component") || "" }),
    el("input", { name: "label", placeholder: "label k=v", value: q.get("label") || "" }),
    el("input", { name: "from", placeholder: "from (2026-12-01)", value: q.get("from") || "" }),
    el("input", { name: "to", placeholder: "to", value: q.get("to") || "" }),
    el("button", { class: "primary", type: "submit" }, "Filter"));
  q.set("limit", "200");
  const list = await get("/api/backups?" + q);
  const start = el("form", { class: "filters", id: "new-backup", onsubmit: async (e) => {
    e.preventDefault();
    const f = new FormData(start);
    const components = String(f.get("components") || "").split(/[\s,]+/).filter(Boolean);
    try {
      const r = await post("/api/backups", { name: f.get("name"), components, type: f.get("type") });
      if (r && r.backupId) location.hash = "#/backups/" + encodeURIComponent(r.backupId);
    } catch (err) { showError(err); }
  } },
    el("input", { name: "name", placeholder: "backup name", required: true }),
    el("input", { name: "components", placeholder: "components: files:/srv/app postgres://host/db", size: 48, required: true }),
    el("select", { name: "type" }, ["full", "incremental", "differential"].map((t) => el("option", { value: t }, t))),
    el("button", { class: "primary", type: "submit" }, "Back up now"));
  main.append(el("h2", {}, "Backups"), start, form, table(
    ["backup", "name", "type", "status", "requested", { label: "duration", num: 1 }, { label: "size", num: 1 },
      { label: "stored", num: 1 }, { label: "compression", num: 1 }],
    list.map((x) => el("tr", { "data-backup": x.backupId },
      td(link("#/backups/" + encodeURIComponent(x.backupId), x.backupId)), td(x.name), td(x.type), td(badge(x.status)),
      td(when(x.requestedAt)), td(secs(x.durationMs), 1), td(bytes(x.sizeBytes), 1), td(bytes(x.storedBytes), 1),
      td(ratio(x.compressionRatio), 1))), { id: "backup-table" }));
}

async function backup(main, id) {
  const x = await get("/api/backups/" + encodeURIComponent(id));
  if (!x) {
    main.append(el("h2", {}, "Backup ", id), el("p", { class: "muted", id: "waiting" }, "waiting for the pipeline to take it…"));
    timer = setTimeout(route, 1000);
    return;
  }
  if (x.status === "REQUESTED" || x.status === "RUNNING") timer = setTimeout(route, 1000);
  main.append(el("h2", {}, "Backup ", x.backupId, " ", el("span", { id: "backup-status" }, badge(x.status))),
    el("dl", { class: "kv", id: "backup-details" },
      kv("name", x.name), kv("type", x.type), kv("reason", x.reason || "–"),
      kv("labels", Object.entries(x.labels || {}).map(([k, v]) => k + "=" + v).join(", ") || "–"),
      kv("requested", when(x.requestedAt)), kv("completed", when(x.completedAt)), kv("duration", secs(x.durationMs)),
      kv("size", bytes(x.sizeBytes)), kv("new", bytes(x.newBytes) + " in " + x.newChunks + " chunks (" + x.dedupedChunks + " deduplicated)"),
      kv("stored", bytes(x.storedBytes)), kv("compression", ratio(x.compressionRatio)),
      kv("manifest checksum", el("code", { id: "manifest-checksum" }, x.manifestChecksum || "–"))),
    el("h3", {}, "Components"), table(
      ["name", "kind", "source", "status", { label: "size", num: 1 }, { label: "chunks", num: 1 }, { label: "new", num: 1 }, { label: "duration", num: 1 }],
      x.components.map((c) => el("tr", {}, td(c.name), td(c.kind), td(c.source), td(badge(c.status)),
        td(bytes(c.sizeBytes), 1), td(c.chunkCount, 1), td(c.newChunkCount, 1), td(secs(c.durationMs), 1)))),
    el("h3", {}, "Locations"), table(["location", "role", "state", { label: "missing chunks", num: 1 }, "error"],
      x.locationStatus.map((l) => el("tr", {}, td(l.location), td(l.primary ? "primary" : "replica"),
        td(l.complete ? badge("ok") : badge("bad")), td(l.missingChunks, 1), td(l.error || "")))));
}
function kv(k, v) { return [el("dt", {}, k), el("dd", {}, v)]; }

function recoveryTable(list) {
  return table(["execution", "plan", "mode", "status", "requested", { label: "RTO", num: 1 }, { label: "objective", num: 1 }],
    list.map((x) => el("tr", { "data-execution": x.executionId },
      td(link("#/recoveries/" + encodeURIComponent(x.executionId), x.executionId)), td(x.planName), td(x.mode),
      td(badge(x.status)), td(when(x.requestedAt)), td(secs(x.rtoMs), 1), td(x.objectiveRtoMs ? secs(x.objectiveRtoMs) : "–", 1))));
}

async function recoveries(main) {
  main.append(el("h2", {}, "Recoveries and tests"), recoveryTable(await get("/api/recoveries?limit=100") || []));
}

async function recovery(main, id) {
  const x = await get("/api/recoveries/" + encodeURIComponent(id));
  if (!x) {
    main.append(el("h2", {}, "Recovery ", id), el("p", { class: "muted", id: "waiting" }, "waiting for the coordinator to start it…"));
    timer = setTimeout(route, 1000);
    return;
  }
  const done = x.steps.filter((s) => s.status !== "PENDING" && s.status !== "RUNNING").length;
  main.append(el("h2", {}, x.mode, " of plan ", x.planName, " ", el("span", { id: "recovery-status" }, badge(x.status))),
    el("dl", { class: "kv" }, kv("execution", x.executionId), kv("requested", when(x.requestedAt)),
      kv("progress", [el("span", { class: "progress" }, el("span", { style: { width: Math.round((100 * done) / Math.max(1, x.steps.length)) + "%" } })),
        " " + done + " of " + x.steps.length + " steps"]),
      kv("measured RTO", el("span", { id: "recovery-rto" }, x.rtoMs ? secs(x.rtoMs) : "–")),
      kv("RTO objective", x.objectiveRtoMs ? secs(x.objectiveRtoMs) : "–"),
      kv("data as of", when(x.dataAsOf)), kv("reason", x.reason || "–")),
    el("h3", {}, "Steps"), table(["step", "what", "status", { label: "duration", num: 1 }, { label: "bytes", num: 1 }, "message"],
      x.steps.map((s) => el("tr", { "data-step": s.stepId }, td(s.stepId), td(s.description), td(badge(s.status)),
        td(secs(s.durationMs), 1), td(bytes(s.bytes), 1), td(s.message || "")))));
  if (x.mode === "EXECUTE" && x.status === "SUCCEEDED" && !x.rolledBack) {
    main.append(el("p", {}, el("button", { class: "danger", id: "rollback", onclick: () => act(
      "/api/recoveries/" + encodeURIComponent(id) + "/rollback", "Roll back every change of this recovery?") }, "Roll back")));
  }
  if (!FINAL.includes(x.status)) timer = setTimeout(route, 1000);
}

async function act(path, question) {
  if (question && !confirm(question)) return;
  try {
    const r = await post(path);
    if (r && r.executionId) location.hash = "#/recoveries/" + encodeURIComponent(r.executionId);
  } catch (e) { showError(e); }
}

async function plans(main) {
  const list = await get("/api/plans") || [];
  main.append(el("h2", {}, "Recovery plans"), table(["plan", "status", "environment", "components", "checks", "RTO", "last test", "actions"],
    list.map((p) => {
      const run = (mode, q) => () => act("/api/plans/" + encodeURIComponent(p.name) + "/executions?mode=" + mode, q);
      return el("tr", { "data-plan": p.name }, td(p.name), td(el("span", { class: "plan-status" }, p.status || "–")),
        td(p.environment || "–"), td(p.components.join(", ")),
        td(p.checks.join(", ")), td(p.rto || "–"), td(p.testedAt ? secs(p.lastTestRtoMs) + " (" + when(p.testedAt) + ")" : "never"),
        td([el("button", { "data-action": "validate", onclick: run("VALIDATE") }, "Validate"), " ",
          el("button", { "data-action": "test", class: "primary", onclick: run("TEST") }, "Test"), " ",
          el("button", { "data-action": "recover", class: "danger", onclick: run("EXECUTE",
            "Recover " + p.name + " into its real targets? What is there now is moved aside.") }, "Recover")]));
    })));
}

async function schedules(main) {
  const list = await get("/api/schedules") || [];
  main.append(el("h2", {}, "Schedules"), table(["schedule", "cron", "next run", "last success", { label: "age", num: 1 }, "RPO", "state"],
    list.map((s) => el("tr", {}, td(s.name), td(s.cron + " " + s.zone), td(s.paused ? "paused" : when(s.nextRun)),
      td(when(s.lastSuccessAt)), td(age(s.ageSeconds), 1), td(s.rpo || "–"),
      td(s.rpo ? badge(s.rpoMet ? "ok" : "bad") : "")))));
}

function alertTable(list) {
  return table(["time", "severity", "kind", "subject", "message"], list.map((a) => el("tr", {},
    td(when(a.time)), td(badge(a.severity)), td(a.kind), td(a.subject), td(a.message))));
}
async function alerts(main) {
  main.append(el("h2", {}, "Alerts"), el("p", { class: "muted" }, "Seen by this catalog since it started."),
    alertTable(await get("/api/alerts?limit=200") || []));
}

// ---- routing

function showError(e) {
  document.getElementById("main").prepend(el("div", { class: "error", id: "error" }, String(e.message || e)));
}

async function route() {
  clearTimeout(timer);
  const [path, query] = (location.hash.slice(1) || "/").split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const main = el("main", { id: "main" });
  const section = parts[0] || "overview";
  document.querySelectorAll("[data-nav]").forEach((a) => a.classList.toggle("active", a.dataset.nav === section));
  try {
    if (section === "overview") await overview(main);
    else if (section === "backups" && parts[1]) await backup(main, parts[1]);
    else if (section === "backups") await backups(main, query || "");
    else if (section === "recoveries" && parts[1]) await recovery(main, parts[1]);
    else if (section === "recoveries") await recoveries(main);
    else if (section === "plans") await plans(main);
    else if (section === "schedules") await schedules(main);
    else if (section === "alerts") await alerts(main);
    else main.append(el("div", { class: "error" }, "no such page"));
    document.getElementById("status").textContent = "updated " + new Date().toLocaleTimeString();
  } catch (e) {
    main.prepend(el("div", { class: "error", id: "error" }, String(e.message || e)));
  }
  document.getElementById("main").replaceWith(main);
}

window.addEventListener("hashchange", route);
route();
