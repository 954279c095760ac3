// mailgate admin pages: small progressive enhancements. Every page works without this file; with it,
// sections that do not apply are hidden, the .pfx size is checked before upload, and htmx sends the CSRF token.
(function () {
  'use strict';
  document.documentElement.classList.add('js');

  // htmx requests carry the CSRF token the page was rendered with.
  document.addEventListener('htmx:configRequest', function (event) {
    var header = document.querySelector('meta[name="csrf-header"]');
    var token = document.querySelector('meta[name="csrf-token"]');
    if (header && token) {
      event.detail.headers[header.content] = token.content;
    }
  });

  // Self-refreshing parts (the connections list) refresh only while the tab is visible, and stop after 25
  // minutes, so an open tab does not keep an idle session signed in forever (the session ends after 30).
  var loadedAt = Date.now();
  document.addEventListener('htmx:beforeRequest', function (event) {
    var trigger = event.detail.elt.getAttribute('hx-trigger') || '';
    if (trigger.indexOf('every') === 0 && (document.hidden || Date.now() - loadedAt > 25 * 60 * 1000)) {
      event.preventDefault();
    }
  });

  function onReady(fn) {
    if (document.readyState !== 'loading') { fn(); } else { document.addEventListener('DOMContentLoaded', fn); }
  }

  onReady(function () {
    // The organization switcher submits itself on change (its button is for browsers without scripts).
    document.querySelectorAll('select[data-autosubmit]').forEach(function (select) {
      select.addEventListener('change', function () { select.form.submit(); });
    });

    // Sections shown for one choice only: data-show-when="<name>=<value>[,<value>]" or "<checkbox name>".
    var conditional = document.querySelectorAll('[data-show-when]');
    function refresh() {
      conditional.forEach(function (section) {
        var rule = section.getAttribute('data-show-when');
        var parts = rule.split('=');
        var inputs = document.querySelectorAll('[name="' + parts[0] + '"]');
        var shown = false;
        inputs.forEach(function (input) {
          if (parts.length === 1) {
            if (input.type === 'checkbox' && input.checked) { shown = true; }
          } else if ((input.type === 'radio' || input.type === 'checkbox') ? input.checked : true) {
            if (parts[1].split(',').indexOf(input.value) >= 0) { shown = true; }
          }
        });
        // a section inside a hidden one stays hidden (sections are visited in document order, outer first)
        if (section.parentElement.closest('[data-show-when][hidden]')) { shown = false; }
        section.hidden = !shown;
        // hidden sections are not sent, so another protocol's fields cannot leak into the request
        section.querySelectorAll('input, select, textarea').forEach(function (field) { field.disabled = !shown; });
      });
    }
    if (conditional.length) {
      document.addEventListener('change', refresh);
      refresh();
    }

    // The IMAP port follows the encryption method (993 for SSL/TLS, 143 for STARTTLS or none) unless the admin
    // typed a port of their own.
    var port = document.getElementById('imap.port');
    if (port) {
      var defaults = { SSL_TLS: '993', STARTTLS: '143', NONE: '143' };
      var typed = port.value !== '' && port.value !== '993' && port.value !== '143';
      port.addEventListener('input', function () { typed = port.value !== ''; });
      document.querySelectorAll('input[name="imap.encryption"]').forEach(function (radio) {
        radio.addEventListener('change', function () {
          if (radio.checked && !typed && defaults[radio.value]) { port.value = defaults[radio.value]; }
        });
      });
    }

    // After a failed submit, focus moves to the list of errors, so it is read first and each links to its field.
    var summary = document.querySelector('[data-focus-on-load]');
    if (summary) { summary.focus(); }

    // File inputs with a size limit: refused in the browser before anything is uploaded.
    document.querySelectorAll('input[type=file][data-max-bytes]').forEach(function (input) {
      var max = parseInt(input.getAttribute('data-max-bytes'), 10);
      var message = document.getElementById(input.getAttribute('data-error'));
      var zone = input.closest('.dropzone');
      function check() {
        var file = input.files && input.files[0];
        var tooLarge = file && file.size > max;
        if (message) {
          message.textContent = tooLarge ? file.name + ' is ' + Math.ceil(file.size / 1024)
              + ' KB; the largest allowed file is ' + Math.round(max / 1024) + ' KB (1 MB).' : '';
          message.hidden = !tooLarge;
        }
        input.setCustomValidity(tooLarge ? 'The file is larger than 1 MB.' : '');
        if (tooLarge) { input.value = ''; }
      }
      input.addEventListener('change', check);
      if (zone) {
        ['dragenter', 'dragover'].forEach(function (type) {
          zone.addEventListener(type, function (event) { event.preventDefault(); zone.classList.add('over'); });
        });
        ['dragleave', 'drop'].forEach(function (type) {
          zone.addEventListener(type, function () { zone.classList.remove('over'); });
        });
        zone.addEventListener('drop', function (event) {
          event.preventDefault();
          if (event.dataTransfer && event.dataTransfer.files.length) {
            input.files = event.dataTransfer.files;
            check();
          }
        });
      }
    });

    // Copy buttons (the OAuth redirect URI).
    document.querySelectorAll('button[data-copy]').forEach(function (button) {
      button.addEventListener('click', function () {
        var field = document.getElementById(button.getAttribute('data-copy'));
        field.select();
        if (navigator.clipboard) {
          navigator.clipboard.writeText(field.value).then(function () { button.textContent = 'Copied'; },
              function () { button.textContent = 'Press Ctrl+C'; });
        }
      });
    });

    // Long-running buttons (Save and Test) say so and cannot be pressed twice.
    document.querySelectorAll('form[data-busy]').forEach(function (form) {
      form.addEventListener('submit', function (event) {
        var button = event.submitter;
        if (button && button.hasAttribute('data-busy-text')) {
          setTimeout(function () { button.disabled = true; button.textContent = button.getAttribute('data-busy-text'); }, 0);
        }
      });
    });
  });
}());
