// Progressive enhancement for every page: NHS.UK frontend components (character counts, error summaries, header,
// conditional reveals).
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

document.body.classList.add("nhsuk-frontend-supported");
initAll();

// A hidden conditional part of a form (under a radio or checkbox not chosen) is also disabled, so what it holds is
// not sent for an option the person did not choose, and comes back if they choose it again. Without JavaScript
// every part shows and the server says which values do not belong to the chosen option.
function syncConditionals() {
  for (const input of document.querySelectorAll("input[aria-controls], input[data-aria-controls]")) {
    const panel = document.getElementById(input.getAttribute("aria-controls") || input.dataset.ariaControls);
    if (!panel || !panel.matches(".nhsuk-radios__conditional, .nhsuk-checkboxes__conditional")) continue;
    for (const field of panel.querySelectorAll("input, select, textarea")) field.disabled = !input.checked;
  }
}
document.addEventListener("change", (event) => {
  if (event.target.matches(".nhsuk-radios__input, .nhsuk-checkboxes__input")) syncConditionals();
});
syncConditionals();
