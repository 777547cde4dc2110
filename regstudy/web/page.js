// The page's own script (in <head>; RS_* constants are prepended by assets.page_head).
// 1. Links in answers (href "#rs:<unit id>") open the article in 原文 through a hidden textbox.
// 2. The tab and the article shown in 原文 are in the address (?tab=source&article=<id>), so Back and
//    Forward move inside the app, a reload comes back to the same place, and an article can be shared.
// 3. A new answer is shown from its start, not its end.
// 4. A file over the upload limit is stopped in the page, before Gradio's own check (English).
// 5. Labels Gradio leaves in English (aria-label, title) are put into Chinese.

const rsOpenArticle = (unitId) => {
  const box = document.querySelector('#rs-goto textarea, #rs-goto input');
  if (!box) return false;
  box.value = unitId;
  box.dispatchEvent(new Event('input', { bubbles: true }));
  setTimeout(() => document.querySelector('#rs-goto-btn').click(), 50);
  return true;
};

document.addEventListener('click', (event) => {
  const link = event.target.closest('a[href^="#rs:"]');
  if (!link) return;
  event.preventDefault();
  event.stopPropagation();
  const unitId = decodeURIComponent(link.getAttribute('href').slice(4));
  // the address follows at once, even when the article is the one 原文 already holds (no re-render)
  if (rsOpenArticle(unitId)) {
    rsLastArticle = unitId;
    rsRemember('source', unitId);
  }
});

// ---- 2. The address ----
const rsWanted = () => {
  const query = new URLSearchParams(location.search);
  return { tab: query.get('tab') || 'chat', article: query.get('article') || '' };
};
const rsShownArticle = () => document.querySelector('#rs-source [data-unit]')?.dataset.unit || '';
// Only the page's own tabs are addressable; tabs inside a tab (测验's 答题 / 出题) are not.
const RS_TABS = ['chat', 'source', 'quiz', 'check', 'admin'];
const rsTabButton = (tab) => document.querySelector(`button[role="tab"][data-tab-id="${CSS.escape(tab)}"]`);
const rsSelectedTab = () => [...document.querySelectorAll('button[role="tab"][aria-selected="true"]')]
  .map((button) => button.dataset.tabId).find((id) => RS_TABS.includes(id)) || 'chat';

const rsRemember = (tab, article) => {
  const now = rsWanted();
  if (now.tab === tab && now.article === article) return;
  history.replaceState({ ...(history.state || {}), scroll: window.scrollY }, '');
  const query = new URLSearchParams();
  if (tab !== 'chat') query.set('tab', tab);
  if (tab === 'source' && article) query.set('article', article);
  const search = query.toString();
  history.pushState({ tab, article }, '', search ? `?${search}` : location.pathname);
};

const rsGoTo = ({ tab, article }, scroll) => {
  if (!RS_TABS.includes(tab)) tab = 'chat';
  if (tab === 'source' && article && article !== rsShownArticle()) {
    if (!rsOpenArticle(article)) return;
  } else if (tab !== rsSelectedTab()) {
    rsTabButton(tab)?.click();
  }
  if (scroll !== undefined) setTimeout(() => window.scrollTo(0, scroll), 120);
};

document.addEventListener('click', (event) => {
  const tab = event.target.closest('button[role="tab"][data-tab-id]');
  if (!tab || !RS_TABS.includes(tab.dataset.tabId)) return;
  rsRemember(tab.dataset.tabId, tab.dataset.tabId === 'source' ? rsShownArticle() : '');
}, true);
window.addEventListener('popstate', (event) => rsGoTo(rsWanted(), event.state?.scroll));

let rsLastArticle = null;
const rsFollowArticle = () => {
  const shown = rsShownArticle();
  if (shown === rsLastArticle) return;
  rsLastArticle = shown;
  if (shown && rsSelectedTab() === 'source') rsRemember('source', shown);
};

// ---- 3. A new answer from its start ----
const rsAsked = () => document.querySelectorAll('#rs-chat .message-row.user-row, #rs-chat .user-row');
const rsShowNewAnswer = () => {
  const asked = rsAsked();
  const last = asked[asked.length - 1];
  if (last) last.scrollIntoView({ block: 'start', behavior: 'instant' });
};
// A question just asked is brought to the top of the screen as soon as it shows, so an answer still
// being written (an LLM takes seconds) is seen growing under it; a restored conversation (several
// questions at once) is left where the page is.
let rsQuestions = null;
const rsFollowQuestion = () => {
  const count = rsAsked().length;
  if (rsQuestions !== null && count === rsQuestions + 1) rsShowNewAnswer();
  rsQuestions = count;
};

// ---- 4. Uploads over the limit ----
const rsTooLarge = (files) => [...(files || [])].some((file) => file.size > RS_UPLOAD_MAX_BYTES);
const rsToast = (text) => {
  const note = Object.assign(document.createElement('div'), { className: 'rs-toast', textContent: text });
  note.setAttribute('role', 'alert');
  document.body.appendChild(note);
  setTimeout(() => note.remove(), 10000);
};
// A file of a type the box does not take is stopped here too: Gradio's own toast is in English.
const rsAccepted = (input) => (input?.getAttribute('accept') || '').split(',')
  .map((type) => type.trim().toLowerCase()).filter((type) => type.startsWith('.'));
const rsWrongType = (files, input) => {
  const types = rsAccepted(input);
  const wrong = types.length && [...(files || [])].find((f) => !types.some((t) => f.name.toLowerCase().endsWith(t)));
  return wrong ? RS_LABELS.messages.wrong_type.replace('{types}', types.join('、')).replace('{name}', wrong.name) : '';
};
const rsCheckUpload = (event, files, input) => {
  const wrongType = rsWrongType(files, input);
  if (!wrongType && !rsTooLarge(files)) return false;
  event.preventDefault();
  event.stopImmediatePropagation();
  rsToast(wrongType || RS_UPLOAD_REFUSED);
  return true;
};
document.addEventListener('change', (event) => {
  if (event.target.type === 'file' && rsCheckUpload(event, event.target.files, event.target)) event.target.value = '';
}, true);
document.addEventListener('drop', (event) => {
  const box = event.target.closest?.('.block, .form, [data-testid]');
  rsCheckUpload(event, event.dataTransfer && event.dataTransfer.files, box?.querySelector('input[type="file"]'));
}, true);

// ---- 5. Labels left in English ----
// RS_LABELS (prompts/page_labels.toml): whole labels; prefixes followed by our own words (kept);
// message prefixes followed by the message's HTML source (replaced by its plain text).
const rsChinese = (element, value) => {
  const whole = RS_LABELS.labels[value.trim()];
  if (whole) return whole;
  for (const [prefix, chinese] of Object.entries(RS_LABELS.prefixes)) {
    if (value.startsWith(prefix)) return chinese + value.slice(prefix.length);
  }
  for (const [prefix, chinese] of Object.entries(RS_LABELS.message_prefixes)) {
    if (value.startsWith(prefix)) return chinese + element.textContent.trim().slice(0, 300);
  }
  return null;
};
// Text nodes, not attributes: Gradio writes them while an event runs, inside its status trackers
// (.wrap) only; the rest of the page is not walked on every change.
const rsProgress = (root) => {
  for (const tracker of root.querySelectorAll('.wrap')) {
    const walker = document.createTreeWalker(tracker, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const text = node.nodeValue.trimStart();
      for (const [english, chinese] of Object.entries(RS_LABELS.progress)) {
        if (text.startsWith(english)) node.nodeValue = chinese + text.slice(english.length);
      }
    }
  }
};
const rsTranslate = (root) => {
  rsProgress(root);
  for (const title of root.querySelectorAll('.toast-title')) {  // Gradio shows the type ("Error"), not our title
    const kind = ['error', 'warning', 'info', 'success'].find((k) => title.classList.contains(k));
    const text = [...title.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.nodeValue.trim());
    if (kind && text && RS_LABELS.toasts[kind] && text.nodeValue.trim() !== RS_LABELS.toasts[kind]) {
      text.nodeValue = RS_LABELS.toasts[kind];
    }
  }
  for (const element of root.querySelectorAll('[aria-label], [title], [placeholder]')) {
    for (const name of ['aria-label', 'title', 'placeholder']) {
      const value = element.getAttribute(name);
      const chinese = value && rsChinese(element, value);
      if (chinese) element.setAttribute(name, chinese);
    }
  }
};

// Gradio renders after this script runs: start once the page's own controls exist. The tab and article
// of the address the page opened with are shown by the server (SourceHandlers.from_address).
const rsStart = () => {
  if (!document.querySelector('#rs-goto')) return setTimeout(rsStart, 100);
  history.replaceState({ ...rsWanted(), ...(history.state || {}) }, '');
  rsLastArticle = rsWanted().article || null;
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      rsFollowArticle();
      rsFollowQuestion();
      rsTranslate(document.body);
    });
  }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true,
    attributeFilter: ['aria-label', 'title'] });
  rsTranslate(document.body);
};
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', rsStart);
else rsStart();
