// tongpin: small progressive enhancements; every page works without them.
(function () {
  'use strict';
  // A double click saves once: disable a form's buttons after its first submit.
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (form.dataset.submitted === '1') { e.preventDefault(); return; }
    var danger = form.querySelector('button.danger');
    if (danger && !window.confirm('确定要执行“' + danger.textContent.trim() + '”操作吗？')) { e.preventDefault(); return; }
    form.dataset.submitted = '1';
    if (form.method.toLowerCase() === 'post') {
      // Disable after the browser has read the form: a disabled button would
      // drop the clicked button's own name and value (检查 vs 导入).
      setTimeout(function () {
        form.querySelectorAll('button[type=submit]').forEach(function (b) { b.disabled = true; });
      }, 0);
    }
  });
  // A "check all" box (data-check-all="prefix") toggles the boxes of its
  // form whose name starts with the prefix.
  document.addEventListener('change', function (e) {
    var all = e.target;
    var prefix = all.getAttribute && all.getAttribute('data-check-all');
    if (prefix === null || prefix === undefined || !all.form) { return; }
    all.form.querySelectorAll('input[type=checkbox]').forEach(function (c) {
      if (c !== all && c.name.indexOf(prefix) === 0 && !c.disabled) { c.checked = all.checked; }
    });
  });
  // Close other pop-overs when one opens.
  document.addEventListener('toggle', function (e) {
    var d = e.target;
    if (d.tagName === 'DETAILS' && d.open) {
      document.querySelectorAll('details[open]').forEach(function (o) { if (o !== d && !o.contains(d)) { o.open = false; } });
    }
  }, true);
})();
// The bell's count: the pages do not wait for every module's to-do rules.
(function () {
  'use strict';
  var badge = document.getElementById('todo-count');
  if (!badge || !window.fetch) { return; }
  fetch('/api/v1/todos', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (j) {
      if (!j) { return; }
      badge.textContent = j.total;
      badge.classList.toggle('hidden', j.total === 0);
      if (j.overdue > 0) { badge.title = j.overdue + ' 项已逾期'; }
    })
    .catch(function () {});
  // A print button (data-print) prints the page; inline handlers are not allowed.
  document.addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('[data-print]');
    if (b) { e.preventDefault(); window.print(); }
  });
})();
