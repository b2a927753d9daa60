// InferCost Studio: progressive enhancement only. Every page works without it; with it, the Workload page's
// sliders redraw the cost curve and break-even in place (no reload) from the server's own renderer.
"use strict";
(function () {
  const form = document.getElementById("curve-controls");
  const panel = document.getElementById("curve-panel");
  if (!form || !panel) {
    return;
  }
  let timer = 0;
  let inFlight = null;

  function label(input) {
    const out = document.getElementById(input.id + "-value");
    if (!out) {
      return;
    }
    const unit = input.dataset.unit;
    out.textContent = unit === "10^" ? "10^" + input.value : unit === "$" ? "$" + input.value : "×" + input.value;
  }

  function refresh() {
    const params = new URLSearchParams(new FormData(form));
    if (inFlight) {
      inFlight.abort();
    }
    inFlight = new AbortController();
    panel.setAttribute("aria-busy", "true");
    fetch(form.dataset.panel + "?" + params.toString(), { signal: inFlight.signal, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        panel.innerHTML = html; // server-rendered and escaped, same origin
        history.replaceState(null, "", form.action + "?" + params.toString());
        // Which settings the panel now shows: a redraw's completion is observable (the last one wins, as earlier
        // requests are aborted), so a script or a test waits for the settings it asked for, not for a delay.
        panel.dataset.shows = params.toString();
        panel.removeAttribute("aria-busy");
      })
      .catch(function (error) {
        if (error.name !== "AbortError") {
          panel.removeAttribute("aria-busy");
        }
      });
  }

  form.addEventListener("input", function (event) {
    if (event.target instanceof HTMLInputElement) {
      label(event.target);
    }
    clearTimeout(timer);
    timer = setTimeout(refresh, 120);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    refresh();
  });
})();
