// Progressive enhancement for every page: NHS.UK frontend components (character counts, error summaries, header).
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

document.body.classList.add("nhsuk-frontend-supported");
initAll();
