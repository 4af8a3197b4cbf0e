// Kunlu's own behaviour. No inline scripts anywhere (the content security policy forbids them).
document.addEventListener("DOMContentLoaded", () => {
  const here = window.location.pathname;
  document.querySelectorAll("[data-nav]").forEach((link) => {
    if (here.startsWith(link.getAttribute("href"))) link.classList.add("active", "fw-bold");
  });
});
