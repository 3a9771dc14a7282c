// Progressive enhancement for every page: NHS.UK frontend components (character counts, error summaries, header).
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

document.body.classList.add("nhsuk-frontend-supported");
initAll();

// Conditional reveal: the fields an option takes sit under its radio (input[data-app-conditional] names the panel).
// Only the chosen option's panel shows; the others are hidden and disabled, so what they hold is not sent for an
// option the person did not choose, and is still there if they choose it again. Without JavaScript every panel shows
// and the server says which values do not belong to the chosen option. (Ours, not the frontend's: that one sets
// aria-expanded on radios, which ARIA does not allow on them.)
function syncConditionals() {
  for (const input of document.querySelectorAll("input[data-app-conditional]")) {
    const panel = document.getElementById(input.dataset.appConditional);
    if (!panel) continue;
    panel.classList.toggle("nhsuk-radios__conditional--hidden", !input.checked);
    for (const field of panel.querySelectorAll("input, select, textarea")) field.disabled = !input.checked;
  }
}
document.addEventListener("change", (event) => {
  if (event.target.matches("input[type=radio]")) syncConditionals();
});
syncConditionals();
