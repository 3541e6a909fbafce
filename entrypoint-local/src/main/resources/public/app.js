"use strict";
// The landing page: signs a tenant up through the same HTTP API as on AWS, follows it until it runs,
// shows its link and the email that went to the outbox, and lists tenants with a deprovision button.
(() => {
  const $ = (id) => document.getElementById(id);
  const POLL_MS = 700;
  const GIVE_UP_MS = 120000;
  const WATCH_MS = 3000;

  const KEY = "tenant-provisioner.api-key";
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("key");
  if (fromHash) {
    sessionStorage.setItem(KEY, fromHash);
    history.replaceState(null, "", location.pathname);
  }
  const apiKey = () => sessionStorage.getItem(KEY) || $("apiKey").value.trim();
  if (!apiKey()) $("key-field").hidden = false;
  $("apiKey").addEventListener("change", () => sessionStorage.setItem(KEY, $("apiKey").value.trim()));

  async function api(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: Object.assign({ "x-api-key": apiKey() }, body ? { "content-type": "application/json" } : {}),
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = await response.json().catch(() => ({}));
    if (response.status === 401) $("key-field").hidden = false;
    if (!response.ok) {
      const error = new Error(data.detail || data.title || "HTTP " + response.status);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  function show(element, text) {
    element.textContent = text;
    element.hidden = !text;
  }

  // Views
  function select(view) {
    for (const name of ["signup", "tenants"]) {
      $("view-" + name).hidden = name !== view;
      $("tab-" + name).setAttribute("aria-selected", String(name === view));
    }
    if (view === "tenants") loadTenants();
  }
  $("tab-signup").addEventListener("click", () => select("signup"));
  $("tab-tenants").addEventListener("click", () => select("tenants"));

  // Sign-up
  $("signup").addEventListener("submit", async (event) => {
    event.preventDefault();
    show($("form-error"), "");
    const userId = $("userId").value.trim().toLowerCase();
    const email = $("email").value.trim();
    if (!$("signup").checkValidity()) {
      show($("form-error"), "Please enter a user id (lowercase letters, digits, hyphens) and a valid email.");
      return;
    }
    $("submit").disabled = true;
    $("submit").textContent = "Starting…";
    try {
      const tenant = await api("POST", "/provision", { userId, email });
      $("signup").hidden = true;
      $("progress").hidden = false;
      $("progress-tenant").textContent = tenant.tenantId;
      follow(tenant);
    } catch (error) {
      show($("form-error"), error.message);
    } finally {
      $("submit").disabled = false;
      $("submit").textContent = "Start my instance";
    }
  });

  $("again").addEventListener("click", () => {
    $("progress").hidden = true;
    $("access").hidden = true;
    $("mail-section").hidden = true;
    show($("progress-error"), "");
    $("signup").reset();
    $("signup").hidden = false;
    $("userId").focus();
  });

  function render(tenant) {
    const state = tenant.state;
    const steps = {
      allocated: state !== "failed" && state !== "deprovisioned",
      started: state === "container_started" || state === "running",
      running: state === "running",
      emailed: tenant.notification === "sent",
    };
    let activeSet = false;
    for (const li of document.querySelectorAll(".steps li")) {
      const done = steps[li.dataset.step];
      li.classList.toggle("done", done);
      const active = !done && !activeSet && !["failed", "stopped", "deprovisioned"].includes(state);
      li.classList.toggle("active", active);
      if (active) activeSet = true;
    }
    const badge = $("status-state");
    badge.textContent = state.replace("_", " ");
    badge.className = "badge " + state;
    renderTimeline(tenant.timeline || []);
  }

  // The tenant's steps as its lease recorded them (GET /tenants/{id}), each with its time and reason.
  function renderTimeline(timeline) {
    let start = 0;
    timeline.forEach((step, i) => { if (step.step === "allocated") start = i; });
    const current = timeline.slice(start);
    for (const li of document.querySelectorAll(".steps li")) {
      const seen = current.find((step) => step.step === li.dataset.step);
      li.title = seen ? new Date(seen.at).toLocaleTimeString() : "";
    }
    $("timeline").replaceChildren(...timeline.map((step) => {
      const li = document.createElement("li");
      const at = document.createElement("time");
      at.dateTime = step.at;
      at.textContent = new Date(step.at).toLocaleTimeString();
      li.append(at, " " + step.step + (step.detail ? " — " + step.detail : ""));
      li.dataset.step = step.step;
      return li;
    }));
  }

  // A suspended instance says so and offers to resume; resuming follows it back to running.
  function showSuspended(tenant) {
    $("access").hidden = true;
    $("suspended-reason").textContent = tenant.failure ? "(" + tenant.failure + ")" : "";
    $("suspended").hidden = false;
    const button = $("resume");
    button.disabled = false;
    button.onclick = async () => {
      button.disabled = true;
      show($("progress-error"), "");
      try {
        const resumed = await api("POST", tenant.statusUrl + "/resume");
        $("suspended").hidden = true;
        follow(resumed);
      } catch (error) {
        button.disabled = false;
        show($("progress-error"), error.message);
      }
    };
  }

  // After it runs, the card keeps an eye on the tenant, so a suspension (by billing, by idleness) shows up.
  let watching = null;
  function watch(tenant) {
    clearTimeout(watching);
    watching = setTimeout(async () => {
      if ($("progress").hidden) return;
      try {
        const current = await api("GET", tenant.statusUrl);
        render(current);
        if (current.state === "suspended") {
          showSuspended(current);
          return;
        }
      } catch (error) {
        // The next look will tell; a blip is no news for the card.
      }
      watch(tenant);
    }, WATCH_MS);
  }

  async function follow(tenant) {
    const started = Date.now();
    let current = tenant;
    for (;;) {
      render(current);
      if (current.state === "suspended") {
        showSuspended(current);
        return;
      }
      if (current.state === "running" && current.notification !== "pending" && current.notification !== "sending") break;
      if (["failed", "stopped", "deprovisioned"].includes(current.state)) {
        show($("progress-error"), current.failure || "The instance is " + current.state + ".");
        return;
      }
      if (Date.now() - started > GIVE_UP_MS) {
        show($("progress-error"), "Still not running after two minutes; check the runner's output.");
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      try {
        current = await api("GET", current.statusUrl);
      } catch (error) {
        show($("progress-error"), error.message);
        return;
      }
    }
    if (current.notification === "failed") show($("progress-error"), current.failure || "The welcome email failed.");
    if (current.accessUrl) {
      $("access-link").href = current.accessUrl;
      $("access-link").textContent = "Open " + current.tenantId;
      const direct = directUrl(current.accessUrl);
      $("access-fallback").href = direct;
      $("access-fallback").textContent = direct;
      $("access").hidden = false;
    }
    loadMail(current.tenantId);
    watch(current);
  }

  // http://acme.127-0-0-1.sslip.io:8100 -> http://127.0.0.1:8100, for machines where sslip.io does not resolve.
  function directUrl(accessUrl) {
    const url = new URL(accessUrl);
    const match = url.hostname.match(/(\d+)[.-](\d+)[.-](\d+)[.-](\d+)\.[^.]+\.[^.]+$/);
    return match ? url.protocol + "//" + match.slice(1, 5).join(".") + ":" + url.port + "/" : accessUrl;
  }

  async function loadMail(tenantId) {
    try {
      const mail = await api("GET", "/local/outbox/" + encodeURIComponent(tenantId));
      $("mail-from").textContent = mail.from;
      $("mail-to").textContent = mail.to;
      $("mail-subject").textContent = mail.subject;
      $("mail-file").textContent = mail.file;
      const frame = $("mail-html");
      frame.removeAttribute("data-loaded");
      frame.addEventListener("load", () => frame.setAttribute("data-loaded", "true"), { once: true });
      frame.srcdoc = mail.html;
      $("mail-section").hidden = false;
    } catch (error) {
      // No email (yet) is not an error worth a banner: the steps above say whether it went out.
    }
  }

  // Tenants
  async function loadTenants() {
    show($("tenants-error"), "");
    let data;
    try {
      data = await api("GET", "/tenants");
    } catch (error) {
      show($("tenants-error"), error.message);
      return;
    }
    const rows = $("tenant-rows");
    rows.replaceChildren();
    for (const tenant of data.tenants) {
      const tr = document.createElement("tr");
      const cell = (content) => {
        const td = document.createElement("td");
        if (content instanceof Node) td.append(content); else td.textContent = content ?? "—";
        tr.append(td);
      };
      cell(tenant.tenantId);
      const badge = document.createElement("span");
      badge.className = "badge " + tenant.state;
      badge.textContent = tenant.state.replace("_", " ");
      cell(badge);
      cell(tenant.port == null ? "—" : String(tenant.port));
      cell(tenant.notification);
      if (tenant.accessUrl && tenant.state === "running") {
        const link = document.createElement("a");
        link.href = tenant.accessUrl;
        link.textContent = tenant.accessUrl.replace(/^http:\/\//, "");
        cell(link);
      } else {
        cell("—");
      }
      const actions = document.createElement("span");
      const change = (label, path, className) => {
        const button = document.createElement("button");
        button.type = "button";
        button.className = className;
        button.textContent = label;
        button.setAttribute("aria-label", label + " " + tenant.tenantId);
        button.addEventListener("click", async () => {
          button.disabled = true;
          try {
            await api("POST", tenant.statusUrl + path);
          } catch (error) {
            show($("tenants-error"), error.message);
          }
          loadTenants();
        });
        actions.append(button);
      };
      if (tenant.state === "suspended") {
        change("Resume", "/resume", "secondary");
      } else if (["port_allocated", "container_started", "running", "stopped"].includes(tenant.state)) {
        change("Suspend", "/suspend", "secondary");
      }
      if (tenant.state !== "deprovisioned") {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "danger";
        button.textContent = "Deprovision";
        button.setAttribute("aria-label", "Deprovision " + tenant.tenantId);
        button.addEventListener("click", async () => {
          if (!confirm("Stop " + tenant.tenantId + " and free its port?")) return;
          button.disabled = true;
          try {
            await api("DELETE", tenant.statusUrl);
          } catch (error) {
            show($("tenants-error"), error.message);
          }
          loadTenants();
        });
        actions.append(button);
      }
      cell(actions);
      rows.append(tr);
    }
    $("tenants-empty").hidden = data.tenants.length > 0;
  }
  $("refresh").addEventListener("click", loadTenants);
})();
