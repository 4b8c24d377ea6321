// Print buttons and links (`data-print`): the Content-Security-Policy allows no inline onclick.
document.addEventListener("click", function (event) {
  var target = event.target.closest ? event.target.closest("[data-print]") : null;
  if (!target) { return; }
  event.preventDefault();
  window.print();
});
