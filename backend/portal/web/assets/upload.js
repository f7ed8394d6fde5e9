// Upload with a progress bar, and drop files onto the form. Without this script the form
// still posts; with it, the page shows progress and stays put on errors.
(() => {
  const form = document.querySelector('form[data-upload]');
  if (!form) return;
  const input = form.querySelector('input[type=file]');
  const drop = form.querySelector('[data-drop]');
  const bar = form.querySelector('[data-progress]');
  const status = form.querySelector('[data-status]');
  const button = form.querySelector('button[type=submit]');

  ['dragenter', 'dragover'].forEach((t) => drop.addEventListener(t, (e) => {
    e.preventDefault();
    drop.classList.add('over');
  }));
  ['dragleave', 'drop'].forEach((t) => drop.addEventListener(t, () => drop.classList.remove('over')));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files.length) {
      input.files = e.dataTransfer.files;
      status.textContent = `${input.files.length} file(s) ready: press Upload.`;
    }
  });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!input.files.length) {
      status.textContent = 'Choose at least one file to upload.';
      return;
    }
    // The CSRF token must be the first part: the server reads the body as a stream.
    const data = new FormData();
    data.append('csrf', form.elements.csrf.value);
    if (form.elements.client) data.append('client', form.elements.client.value);
    for (const f of input.files) data.append('file', f, f.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.setRequestHeader('X-Requested-With', 'portico');
    bar.hidden = false;
    bar.value = 0;
    button.disabled = true;
    status.textContent = 'Uploading…';
    xhr.upload.addEventListener('progress', (p) => {
      if (p.lengthComputable) bar.value = Math.round((p.loaded / p.total) * 100);
    });
    xhr.addEventListener('load', () => {
      button.disabled = false;
      if (xhr.status >= 200 && xhr.status < 300) {
        location.assign(`/files?uploaded=${input.files.length}`);
        return;
      }
      bar.hidden = true;
      status.textContent = xhr.responseText || 'The upload did not finish. Try again.';
    });
    xhr.addEventListener('error', () => {
      button.disabled = false;
      bar.hidden = true;
      status.textContent = 'The connection was lost. Nothing was sent twice: try again.';
    });
    xhr.send(data);
  });
})();
