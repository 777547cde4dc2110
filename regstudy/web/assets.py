"""What the page carries besides components: the stylesheet and the script in <head> (links that
open an article in 原文, and uploads over the size limit stopped with a Chinese message)."""

from __future__ import annotations

import json

from regstudy.prompts import Prompts
from regstudy.settings import Settings

CSS = """
.rs-hidden { display: none !important; }
.rs-cite { margin: .4em 0 .8em; }
.rs-cite blockquote { margin: .3em 0; padding: .3em .8em; border-left: 4px solid #c0392b; background: #fdf6f5; }
.rs-cite mark { background: #ffe58f; }
.rs-refused { border-left: 4px solid #999; padding-left: .6em; }
.rs-possible { border-left: 4px solid #d9a300; padding-left: .6em; }
.rs-conclusion { border-left: 4px solid #2e7d32; padding: .3em .6em; background: #f3faf3; font-size: 1.05em; }
.rs-stance-prohibited.rs-conclusion, .rs-stance-discouraged.rs-conclusion { border-color: #c0392b; }
.rs-stance-prohibited.rs-conclusion, .rs-stance-discouraged.rs-conclusion { background: #fdf6f5; }
.rs-conclusion.rs-stance-conditional { border-color: #e67e22; background: #fff8ef; }
.rs-tier { display: inline-block; font-size: .8em; padding: 0 .4em; border-radius: 3px; background: #555; color: #fff; }
.rs-notice, .rs-related { font-size: .9em; color: #555; }
.rs-parallels { margin: .4em 0; padding: .3em .6em; border-left: 3px solid #6d8fb3; background: #f5f8fb;
  font-size: .92em; }
.rs-parallel { margin: .2em 0; }
.rs-unit { padding: .35em .4em; border-radius: 4px; }
.rs-selected { background: #ffe58f; }
.rs-quiz-stem { margin-top: .8em; }
.rs-quiz-hint { font-size: .85em; color: #777; }
.rs-quiz-score { font-size: 1.3em; font-weight: bold; margin: .5em 0; }
.rs-quiz-review { margin: .5em 0; padding: .3em .6em; border-left: 4px solid #999; }
.rs-quiz-review.rs-right { border-color: #2e7d32; }
.rs-quiz-review.rs-wrong { border-color: #c0392b; background: #fdf6f5; }
.rs-quiz-group table { border-collapse: collapse; }
.rs-quiz-group td, .rs-quiz-group th { padding: .2em .6em; border: 1px solid #ddd; }
.rs-check-summary { font-weight: bold; margin: .5em 0; }
.rs-finding { margin: .6em 0; padding: .4em .7em; border-left: 5px solid #999; background: #fafafa; }
.rs-finding-quote { margin: .3em 0; padding: .2em .6em; border-left: 2px solid #ccc; }
.rs-finding-note { font-size: .9em; color: #444; }
.rs-badge { display: inline-block; padding: 0 .5em; border-radius: 3px; color: #fff; font-weight: bold; }
.rs-v-exact { border-color: #2e7d32; } .rs-badge.rs-v-exact { background: #2e7d32; }
.rs-v-differs { border-color: #e67e22; } .rs-badge.rs-v-differs { background: #e67e22; }
.rs-v-meaning { border-color: #b71c1c; background: #fdf1f0; } .rs-badge.rs-v-meaning { background: #b71c1c; }
.rs-meaning { margin: .3em 0; padding-left: 1.4em; color: #a00; } .rs-omitted { font-size: .9em; color: #555; }
.rs-v-misattributed { border-color: #7b1fa2; } .rs-badge.rs-v-misattributed { background: #7b1fa2; }
.rs-v-not_found { border-color: #c0392b; } .rs-badge.rs-v-not_found { background: #c0392b; }
.rs-v-no_such_article { border-color: #555; } .rs-badge.rs-v-no_such_article { background: #555; }
.rs-diff del { background: #fdd; color: #a00; }
.rs-diff ins { background: #dfd; color: #060; text-decoration: underline; }
.rs-article mark { background: #ffe58f; }
@media (max-width: 480px) { .tab-container button { padding: 0 10px !important; } }  /* five tabs fit a phone */
.rs-toast { position: fixed; top: 1em; left: 50%; transform: translateX(-50%); z-index: 1000; max-width: 90vw;
  padding: .7em 1.2em; background: #fff; border: 2px solid #c0392b; border-radius: 6px; box-shadow: 0 2px 8px #0003; }
"""
# Links in answers (href "#rs:<unit id>") open the article in the 原文 tab through a hidden textbox.
# A file over the upload limit is stopped in the page, before Gradio's own check, whose message is English.
HEAD = """<script>
document.addEventListener('click', (event) => {
  const link = event.target.closest('a[href^="#rs:"]');
  if (!link) return;
  event.preventDefault();
  event.stopPropagation();
  const box = document.querySelector('#rs-goto textarea, #rs-goto input');
  box.value = decodeURIComponent(link.getAttribute('href').slice(4));
  box.dispatchEvent(new Event('input', { bubbles: true }));
  setTimeout(() => document.querySelector('#rs-goto-btn').click(), 50);
});
const rsTooLarge = (files) => [...(files || [])].some((file) => file.size > RS_UPLOAD_MAX_BYTES);
const rsRefuseUpload = (event) => {
  event.preventDefault();
  event.stopImmediatePropagation();
  const note = Object.assign(document.createElement('div'), { className: 'rs-toast', textContent: RS_UPLOAD_REFUSED });
  note.setAttribute('role', 'alert');
  document.body.appendChild(note);
  setTimeout(() => note.remove(), 10000);
};
document.addEventListener('change', (event) => {
  if (event.target.type === 'file' && rsTooLarge(event.target.files)) {
    rsRefuseUpload(event);
    event.target.value = '';
  }
}, true);
document.addEventListener('drop', (event) => {
  if (rsTooLarge(event.dataTransfer && event.dataTransfer.files)) rsRefuseUpload(event);
}, true);
</script>"""


def page_head(prompts: Prompts, settings: Settings) -> str:
    """HEAD with the upload limit and its Chinese message filled in (JSON, so the text stays inert)."""
    message = json.dumps(prompts.render("upload_too_large", limit=settings.upload_max_mb)).replace("</", "<\\/")
    constants = f"const RS_UPLOAD_MAX_BYTES = {settings.upload_max_bytes};\nconst RS_UPLOAD_REFUSED = {message};\n"
    return HEAD.replace("<script>\n", "<script>\n" + constants, 1)
