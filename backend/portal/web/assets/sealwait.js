// The page after the last signature: asks every few seconds whether the seal is ready and
// then offers the signed document, so nobody has to reload. Without it, the mail brings it.
const wait = document.querySelector('[data-seal-wait]');
const notice = document.querySelector('[data-seal-notice]');
if (wait) {
  const started = Date.now();
  const ask = async () => {
    try {
      const resp = await fetch(wait.dataset.sealWait, { cache: 'no-store', credentials: 'same-origin' });
      if (resp.status === 204) {
        if (notice) notice.textContent = 'Everyone has signed. The signed document is ready.';
        wait.hidden = false;
        return;
      }
      if (resp.status === 205) {
        // The seal is not coming (withdrawn, or it failed): the page says what now.
        window.location.reload();
        return;
      }
    } catch {
      // offline for a moment: ask again
    }
    if (Date.now() - started < 15 * 60 * 1000) setTimeout(ask, 3000);
  };
  setTimeout(ask, 1500);
}
