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
  // The period picker: the 月/季度/年 choice shows and enables only its own selector.
  document.addEventListener('change', function (e) {
    var sw = e.target;
    if (!sw.hasAttribute || !sw.hasAttribute('data-period-switch')) { return; }
    var box = sw.closest('.period-picker');
    box.querySelectorAll('[data-period-kind]').forEach(function (l) {
      var on = l.getAttribute('data-period-kind') === sw.value;
      l.hidden = !on;
      l.querySelectorAll('input, select').forEach(function (f) { f.disabled = !on; });
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
// Person pickers (选人): a text box that suggests people from the roster as one
// types a name, its pinyin or initials (GET /api/v1/people/pick), and stores
// the chosen person's id. Markup:
//   <div class="picker" data-picker="/api/v1/people/pick?for=life&org=…" data-mode="one|many|row">
//     <input type="hidden" data-picker-id name="host_person_id">   (one)
//     <input class="picker-input" …>                                 the visible box
//     <ul class="picker-list" role="listbox" hidden></ul>
//     <span class="picker-chips" data-name="assignees"></span>      (many: chips with hidden ids)
//   </div>
// Mode "row" hands the pick to the element named by data-target (an event
// "picker:pick" with {id, name, status_label, org_name}). Without script the
// box is a plain text field, which the server still reads as a typed name.
(function () {
  'use strict';
  if (!window.fetch) { return; }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function setup(box) {
    var input = box.querySelector('.picker-input');
    var list = box.querySelector('.picker-list');
    var hidden = box.querySelector('[data-picker-id]');
    var mode = box.getAttribute('data-mode') || 'one';
    if (!input || !list) { return; }
    var items = [];
    var active = -1;
    var timer = null;
    var seq = 0;
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('autocomplete', 'off');
    function close() {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      active = -1;
    }
    function render() {
      if (items.length === 0) {
        list.innerHTML = '<li class="picker-empty">' + esc(box.getAttribute('data-empty') || '名册中没有匹配的人员') + '</li>';
      } else {
        list.innerHTML = items.map(function (p, i) {
          return '<li role="option" data-i="' + i + '"' + (i === active ? ' class="on" aria-selected="true"' : '') + '>' +
            '<b>' + esc(p.name) + '</b> <span class="muted">' + esc(p.status_label) + ' · ' + esc(p.org_name) + '</span></li>';
        }).join('');
      }
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    }
    function search() {
      var q = input.value.trim();
      var url = box.getAttribute('data-picker');
      var mine = ++seq;
      fetch(url + (url.indexOf('?') >= 0 ? '&' : '?') + 'q=' + encodeURIComponent(q), {
        credentials: 'same-origin', headers: { Accept: 'application/json' }
      })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (j) {
          if (mine !== seq) { return; }
          items = j.items || [];
          active = items.length ? 0 : -1;
          render();
        })
        .catch(function () {});
    }
    function choose(p) {
      if (mode === 'one') {
        if (hidden) { hidden.value = p.id; }
        input.value = p.name;
      } else if (mode === 'many') {
        var chips = box.querySelector('.picker-chips');
        if (chips && !chips.querySelector('input[value="' + p.id.replace(/"/g, '') + '"]')) {
          var c = document.createElement('span');
          c.className = 'chip';
          c.innerHTML = esc(p.name) + '<input type="hidden" name="' + esc(chips.getAttribute('data-name')) + '" value="' + esc(p.id) +
            '"><button type="button" class="chip-x" aria-label="移除 ' + esc(p.name) + '">×</button>';
          chips.appendChild(c);
        }
        input.value = '';
      } else {
        var target = document.querySelector(box.getAttribute('data-target'));
        if (target) { target.dispatchEvent(new CustomEvent('picker:pick', { detail: p })); }
        input.value = '';
      }
      close();
    }
    input.addEventListener('input', function () {
      if (mode === 'one' && hidden) { hidden.value = ''; }
      clearTimeout(timer);
      timer = setTimeout(search, 150);
    });
    input.addEventListener('focus', function () { if (!input.value.trim() || mode !== 'one') { search(); } });
    input.addEventListener('keydown', function (e) {
      if (list.hidden) { return; }
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        if (items.length) { active = (active + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length; render(); }
      } else if (e.key === 'Enter') {
        e.preventDefault();
        if (active >= 0 && items[active]) { choose(items[active]); }
      } else if (e.key === 'Escape') {
        close();
      }
    });
    list.addEventListener('mousedown', function (e) {
      var li = e.target.closest('li[data-i]');
      if (li) { e.preventDefault(); choose(items[Number(li.getAttribute('data-i'))]); }
    });
    input.addEventListener('blur', function () { setTimeout(close, 150); });
    box.addEventListener('click', function (e) {
      var x = e.target.closest('.chip-x');
      if (x) { e.preventDefault(); x.parentNode.remove(); }
    });
  }
  document.querySelectorAll('.picker[data-picker]').forEach(setup);
})();
// The meeting form: who is listed first (支委 for a 支委会), the grades only for
// 民主评议, 全部出席, and rows added by the picker in a large organization.
(function () {
  'use strict';
  var form = document.querySelector('form.meeting-form');
  if (!form) { return; }
  var kind = form.querySelector('#kind');
  var body = form.querySelector('table.attendance tbody');
  function rows() { return body ? Array.prototype.slice.call(body.querySelectorAll('tr[data-pid]')) : []; }
  function arrange() {
    var k = kind ? kind.value : '';
    form.querySelectorAll('.only-appraisal').forEach(function (el) { el.hidden = k !== 'appraisal'; });
    if (!body) { return; }
    var committeeFirst = k === 'committee_meeting';
    rows().sort(function (a, b) {
      var ca = committeeFirst && a.hasAttribute('data-committee') ? 0 : 1;
      var cb = committeeFirst && b.hasAttribute('data-committee') ? 0 : 1;
      return ca - cb || Number(a.getAttribute('data-order')) - Number(b.getAttribute('data-order'));
    }).forEach(function (r) { body.appendChild(r); });
  }
  if (kind) { kind.addEventListener('change', arrange); }
  arrange();
  var all = form.querySelector('[data-all-present]');
  if (all) {
    all.addEventListener('click', function (e) {
      e.preventDefault();
      var onlyCommittee = kind && kind.value === 'committee_meeting';
      rows().forEach(function (r) {
        if (onlyCommittee && !r.hasAttribute('data-committee')) { return; }
        var p = r.querySelector('input[type=radio][value=present]');
        if (p) { p.checked = true; }
      });
    });
  }
  var tpl = document.getElementById('attendance-row');
  if (body && tpl) {
    body.addEventListener('picker:pick', function (e) {
      var p = e.detail;
      if (body.querySelector('tr[data-pid="' + p.id.replace(/"/g, '') + '"]')) { return; }
      var esc = function (s) {
        return String(s).replace(/[&<>"']/g, function (c) {
          return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
        });
      };
      var html = tpl.innerHTML.split('__PID__').join(esc(p.id)).split('__NAME__').join(esc(p.name))
        .split('__STATUS__').join(esc(p.status_label));
      var t = document.createElement('tbody');
      t.innerHTML = html;
      var row = t.firstElementChild;
      if (!row) { return; }
      row.setAttribute('data-order', String(rows().length + 1000));
      if (p.status !== 'full') { row.querySelectorAll('.grade-select').forEach(function (s) { s.remove(); }); }
      var empty = body.querySelector('tr.empty-row');
      if (empty) { empty.remove(); }
      body.appendChild(row);
      arrange();
    });
  }
})();
