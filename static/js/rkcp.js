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

  // Warn before an idle session ends, and let the person extend it. A request to the server extends
  // the session (at most once a minute: common/middleware.py), so "Stay signed in" simply fetches
  // this page. The page says how much of the session is left when it is served, and each answer to
  // a later request says it again (the RKCP-Session-Seconds-Left header), so the countdown never
  // promises more time than the server keeps.
  function sessionTimeout() {
    var body = document.body;
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

    // The seconds left that an answer reports; null when it says nothing (an error, a lost session).
    function secondsLeft(header) {
      var left = parseInt(header, 10);
      return isNaN(left) ? null : left;
    }

    function start(left) {
      if (left !== undefined) {
        idleMs = left * 1000;
      }
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
          var left = secondsLeft(response.headers.get("RKCP-Session-Seconds-Left"));
          if (left === null) {
            show("session-ended-template");
            return;
          }
          region.replaceChildren();
          start(left);
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
    // Requests made by htmx extend the session too, by as much as their answer says.
    body.addEventListener("htmx:afterRequest", function (event) {
      var xhr = event.detail.xhr;
      var left = xhr ? secondsLeft(xhr.getResponseHeader("RKCP-Session-Seconds-Left")) : null;
      if (left !== null) {
        start(left);
      }
    });
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

  // Questions asked only after a given answer (data-shown-when: the name of the answer's input;
  // data-shown-values: the values that make the question apply) are hidden until then. Without
  // this script they stay visible, and the server ignores them when they do not apply.
  function conditionalQuestions() {
    document.querySelectorAll("[data-shown-when]").forEach(function (question) {
      var form = question.closest("form");
      var name = question.getAttribute("data-shown-when");
      var values = question.getAttribute("data-shown-values").split(" ");
      if (!form) {
        return;
      }
      function update() {
        var chosen = [];
        form.querySelectorAll("[name='" + name + "']").forEach(function (input) {
          if ((input.type !== "radio" && input.type !== "checkbox") || input.checked) {
            chosen.push(input.value);
          }
        });
        question.hidden = !chosen.some(function (value) {
          return values.indexOf(value) >= 0;
        });
      }
      form.addEventListener("change", function (event) {
        if (event.target.name === name) {
          update();
        }
      });
      update();
    });
  }

  function init() {
    focusErrorSummary();
    conditionalQuestions();
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
