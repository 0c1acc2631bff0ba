// Upload each chosen photo in turn, then poll its scan until it is done or failed.
"use strict";
(function () {
  const form = document.getElementById("upload-form");
  const list = document.getElementById("upload-progress");
  if (!form || !list) return;
  const POLL_MS = 1000;
  const LABELS = {
    uploading: "กำลังอัปโหลด / Uploading",
    queued: "รอคิว / Queued",
    processing: "กำลังวิเคราะห์ / Processing",
    done: "เสร็จแล้ว / Done",
    failed: "ล้มเหลว / Failed",
    error: "ไม่รับไฟล์ / Refused",
  };

  function row(name) {
    const li = document.createElement("li");
    const title = document.createElement("span");
    title.className = "name";
    title.textContent = name;
    const status = document.createElement("span");
    status.className = "status";
    const bar = document.createElement("progress");
    const note = document.createElement("span");
    note.className = "note";
    li.append(title, status, bar, note);
    list.append(li);
    return {
      set(state, text, link) {
        status.className = "status status-" + state;
        status.textContent = LABELS[state] || state;
        if (state === "done" || state === "failed" || state === "error") bar.remove();
        note.textContent = "";
        if (link) {
          const a = document.createElement("a");
          a.href = link;
          a.textContent = text;
          note.append(a);
        } else if (text) {
          note.textContent = text;
        }
      },
    };
  }

  async function errorText(response) {
    try {
      const body = await response.json();
      if (body && body.detail) return body.detail;
    } catch (_) { /* not JSON */ }
    return "HTTP " + response.status;
  }

  function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

  async function follow(id, ui) {
    for (;;) {
      const response = await fetch("/api/v1/photos/" + id, { headers: { Accept: "application/json" } });
      if (!response.ok) { ui.set("error", await errorText(response)); return; }
      const photo = await response.json();
      if (photo.status === "done") {
        ui.set("done", "พบป้าย " + photo.candidates.length + " ป้าย / " + photo.candidates.length + " sign(s) found", "/photos/" + id);
        return;
      }
      if (photo.status === "failed") { ui.set("failed", photo.error || "", "/photos/" + id); return; }
      ui.set(photo.status, "#" + id);
      await sleep(POLL_MS);
    }
  }

  async function upload(file, fields, ui) {
    ui.set("uploading", "");
    const data = new FormData();
    data.append("file", file, file.name);
    for (const [k, v] of fields) if (v) data.append(k, v);
    let response;
    try {
      response = await fetch("/api/v1/photos", { method: "POST", body: data, headers: { Accept: "application/json" } });
    } catch (err) {
      ui.set("error", "เชื่อมต่อไม่ได้ / Network error: " + err.message);
      return;
    }
    if (!response.ok) { ui.set("error", await errorText(response)); return; }
    const accepted = await response.json();
    if (accepted.duplicate) ui.set(accepted.status, "ภาพซ้ำ / Duplicate of #" + accepted.photo_id);
    return accepted.photo_id;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = form.querySelector('input[type="file"]');
    const files = Array.from(input.files || []);
    if (!files.length) return;
    const fields = [
      ["distance_m", form.elements.distance_m.value.trim()],
      ["surveyor", form.elements.surveyor.value.trim()],
    ];
    const maxBytes = Number(form.dataset.maxBytes || 0);
    const button = form.querySelector("button");
    button.disabled = true;
    const scans = [];
    for (const file of files) {
      const ui = row(file.name);
      if (maxBytes && file.size > maxBytes) {
        ui.set("error", "ไฟล์ใหญ่เกินไป / File too large");
        continue;
      }
      // Upload one at a time (the server decodes each photo); follow the scans in parallel.
      try {
        const id = await upload(file, fields, ui);
        if (id !== undefined) scans.push(follow(id, ui).catch((err) => ui.set("error", String(err))));
      } catch (err) {
        ui.set("error", String(err));
      }
    }
    button.disabled = false;
    input.value = "";
    await Promise.all(scans);
  });
})();
