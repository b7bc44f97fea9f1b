// RKCP's own behaviour: small enhancements only; every page works without this file.
(function () {
  "use strict";

  // Move focus to a form's error summary, so that screen readers read it and keyboard users start
  // from the list of links to the fields that need fixing.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  // A form marked data-warn-unsaved (the review's score sheets) whose choices were changed and not
  // saved makes the browser ask before the person leaves the page, so that saving one sheet, or
  // following a link, never silently drops what was chosen on another.
  function warnUnsaved() {
    var forms = document.querySelectorAll("form[data-warn-unsaved]");
    if (!forms.length) {
      return;
    }
    var changed = [];
    var submitting = null;
    forms.forEach(function (form) {
      form.addEventListener("change", function () {
        if (changed.indexOf(form) < 0) {
          changed.push(form);
        }
      });
      form.addEventListener("submit", function () {
        submitting = form;
      });
    });
    window.addEventListener("beforeunload", function (event) {
      var unsaved = changed.filter(function (form) {
        return form !== submitting;
      });
      if (unsaved.length) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  // Warn before an idle session ends, and let the person extend it. Any request to the server
  // extends the session (SESSION_SAVE_EVERY_REQUEST), so "Stay signed in" simply fetches this page.
  function sessionTimeout() {
    var body = document.body;
    // The session's idle lifetime (SESSION_COOKIE_AGE), in seconds.
    var seconds = parseInt(body.getAttribute("data-session-idle-seconds"), 10);
    var region = document.getElementById("session-warning");
    if (!seconds || !region) {
      return;
    }
    var warnBeforeMs = 2 * 60 * 1000;
    var autosaveBeforeMs = 60 * 1000;
    var idleMs = seconds * 1000;
    var warnTimer = null;
    var autosaveTimer = null;
    var endTimer = null;

    // A wizard step (form[data-autosave]) with changes not yet saved is saved a minute before the
    // session would end, so that nothing typed is lost; the server brings the person back here.
    var autosaveForm = document.querySelector("form[data-autosave]");
    var dirty = false;
    if (autosaveForm) {
      autosaveForm.addEventListener("input", function () {
        dirty = true;
      });
      autosaveForm.addEventListener("change", function () {
        dirty = true;
      });
      autosaveForm.addEventListener("submit", function () {
        dirty = false;
      });
    }

    function autosave() {
      if (!autosaveForm || !dirty) {
        return;
      }
      var action = document.createElement("input");
      action.type = "hidden";
      action.name = "action";
      action.value = "autosave";
      autosaveForm.appendChild(action);
      dirty = false;
      autosaveForm.submit();
    }

    function show(templateId) {
      var template = document.getElementById(templateId);
      region.replaceChildren(template.content.cloneNode(true));
    }

    function start() {
      clearTimeout(warnTimer);
      clearTimeout(autosaveTimer);
      clearTimeout(endTimer);
      warnTimer = setTimeout(function () {
        show("session-warning-template");
      }, Math.max(idleMs - warnBeforeMs, 0));
      autosaveTimer = setTimeout(autosave, Math.max(idleMs - autosaveBeforeMs, 0));
      endTimer = setTimeout(function () {
        show("session-ended-template");
      }, idleMs);
    }

    function extend(button) {
      button.disabled = true;
      fetch(window.location.href, {
        method: "GET",
        credentials: "same-origin",
        cache: "no-store",
        headers: { "X-Requested-With": "XMLHttpRequest" },
      })
        .then(function (response) {
          // A session that has already ended sends us to the sign-in page instead.
          if (!response.ok || new URL(response.url).pathname !== window.location.pathname) {
            show("session-ended-template");
            return;
          }
          region.replaceChildren();
          start();
        })
        .catch(function () {
          button.disabled = false;
        });
    }

    region.addEventListener("click", function (event) {
      var button = event.target.closest("[data-session-extend]");
      if (button) {
        extend(button);
      }
    });
    // Requests made by htmx extend the session too.
    body.addEventListener("htmx:afterRequest", start);
    start();
  }

  // When htmx cannot use an answer (a server error, a lost connection, or a session that ended and
  // was sent to the sign-in page), the target says so in its data-htmx-failure text, rather than
  // keep figures that are out of date or show the sign-in page inside it.
  function htmxFailures() {
    var body = document.body;

    function fail(target) {
      var message = target && target.getAttribute("data-htmx-failure");
      if (message) {
        target.textContent = message;
      }
    }

    body.addEventListener("htmx:beforeSwap", function (event) {
      var xhr = event.detail.xhr;
      var asked = new URL(event.detail.requestConfig.path, window.location.href).pathname;
      if (xhr.responseURL && new URL(xhr.responseURL).pathname !== asked) {
        event.detail.shouldSwap = false;
        fail(event.detail.target);
      }
    });
    body.addEventListener("htmx:responseError", function (event) {
      fail(event.detail.target);
    });
    body.addEventListener("htmx:sendError", function (event) {
      fail(event.detail.target);
    });
  }

  function init() {
    focusErrorSummary();
    sessionTimeout();
    warnUnsaved();
    htmxFailures();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
