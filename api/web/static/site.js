// The only script of our own: open every expandable text for printing, and take keyboard
// focus to an error summary or conflict message so it is read out first.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details").forEach(function (d) { d.setAttribute("open", ""); });
});
document.addEventListener("DOMContentLoaded", function () {
  var first = document.getElementById("konflikt") || document.getElementById("felsammanfattning");
  if (first) { first.focus(); }
});
