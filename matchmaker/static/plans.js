// The batch plan page: show that the plan is being worked out (it can take seconds for all chains).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("plan-form");
  var running = document.getElementById("plan-running");
  if (!form || !running) { return; }
  form.addEventListener("submit", function () {
    running.hidden = false;
    var button = form.querySelector("button");
    if (button) { button.disabled = true; }
  });
});
