// While a photo is queued or processing, poll its status and reload the page when it settles.
"use strict";
(function () {
  const badge = document.getElementById("photo-status");
  if (!badge) return;
  const id = badge.dataset.photoId;
  const initial = badge.dataset.status;
  async function poll() {
    try {
      const response = await fetch("/api/v1/photos/" + id, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const photo = await response.json();
        if (photo.status !== initial) { window.location.reload(); return; }
      }
    } catch (_) { /* keep trying */ }
    setTimeout(poll, 1500);
  }
  setTimeout(poll, 1500);
})();
