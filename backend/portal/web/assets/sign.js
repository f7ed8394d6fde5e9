// The signing page: shows the document with the signer's fields highlighted (pdf.js), and
// lets them draw a signature. Without it the page still works: the document opens as a PDF
// and a typed name is the signature.
import * as pdfjs from '/assets/pdfjs/pdf.min.mjs';

pdfjs.GlobalWorkerOptions.workerSrc = '/assets/pdfjs/pdf.worker.min.mjs';

async function showPages(el) {
  const fields = JSON.parse(el.dataset.fields || '[]');
  const doc = await pdfjs.getDocument({ url: el.dataset.pdf, isEvalSupported: false }).promise;
  for (let i = 0; i < doc.numPages; i++) {
    const page = await doc.getPage(i + 1);
    const base = page.getViewport({ scale: 1 });
    const width = Math.min(el.clientWidth || 800, 900);
    const vp = page.getViewport({ scale: width / base.width });
    const wrap = document.createElement('div');
    wrap.className = 'pdf-page';
    wrap.style.aspectRatio = `${vp.width} / ${vp.height}`;
    const canvas = document.createElement('canvas');
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.floor(vp.width * ratio);
    canvas.height = Math.floor(vp.height * ratio);
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `Page ${i + 1} of ${doc.numPages}`);
    wrap.append(canvas);
    for (const f of fields.filter((f) => f.page === i)) {
      const box = document.createElement('div');
      box.className = 'pdf-field';
      box.style.left = `${f.x * 100}%`;
      box.style.top = `${f.y * 100}%`;
      box.style.width = `${f.w * 100}%`;
      box.style.height = `${f.h * 100}%`;
      box.textContent = f.label;
      wrap.append(box);
    }
    el.append(wrap);
    await page.render({ canvasContext: canvas.getContext('2d'), viewport: vp, transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : null }).promise;
  }
}

function pad(block) {
  const canvas = block.querySelector('canvas');
  const out = block.querySelector('input[type=hidden]');
  const ctx = canvas.getContext('2d');
  let drawing = false;
  let inked = false;
  ctx.lineWidth = 3;
  ctx.lineCap = 'round';
  ctx.strokeStyle = '#000';
  const at = (e) => {
    const r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * (canvas.width / r.width), (e.clientY - r.top) * (canvas.height / r.height)];
  };
  canvas.addEventListener('pointerdown', (e) => {
    drawing = true;
    canvas.setPointerCapture(e.pointerId);
    ctx.beginPath();
    ctx.moveTo(...at(e));
    e.preventDefault();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    ctx.lineTo(...at(e));
    ctx.stroke();
    inked = true;
  });
  const end = () => {
    if (!drawing) return;
    drawing = false;
    if (inked) out.value = canvas.toDataURL('image/png');
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  block.querySelector('[data-clear]').addEventListener('click', () => {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    inked = false;
    out.value = '';
  });
  block.hidden = false;
}

document.querySelectorAll('[data-draw]').forEach(pad);
// A date field shows the signer's own day, not the server's.
const tz = document.querySelector('input[name=tz]');
if (tz) tz.value = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
const pages = document.querySelector('.pdf-pages');
if (pages) {
  showPages(pages).catch((err) => {
    const p = document.createElement('p');
    p.className = 'error';
    p.textContent = 'The document could not be shown here: use "Open the document" above.';
    pages.append(p);
    console.error(err);
  });
}
