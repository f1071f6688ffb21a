// Refreshes the live panel: fetches the server-rendered panel every few seconds and swaps it in. No key is sent by
// script: the browser's same-site sign-in cookie authenticates the request.
(function () {
  const panel = document.getElementById('live-panel');
  if (!panel) return;
  const seconds = Math.min(2, Math.max(1, Number(panel.dataset.refreshSeconds) || 2));
  const url = panel.dataset.panelUrl;
  let busy = false;
  async function refresh() {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const response = await fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } });
      if (response.redirected || response.status === 401) { window.location.reload(); return; }
      if (response.ok) panel.innerHTML = await response.text();
    } catch (e) {
      // Offline for a moment: the next tick tries again.
    } finally {
      busy = false;
    }
  }
  setInterval(refresh, seconds * 1000);
})();
