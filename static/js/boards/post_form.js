// The "Post to a board" form: conditional fields, minimum-length and word counters, and error marks after the
// server's live validation. Limits and conditions come from data attributes the server renders from the field spec.
// (Character counts are the NHS.UK frontend's own component, started by app.js.)

const form = document.querySelector(".app-board-form");

function valueOf(name) {
  const inputs = form.querySelectorAll(`[name="${name}"]`);
  if (inputs.length && inputs[0].type === "checkbox") {
    return Array.from(inputs).filter((input) => input.checked).map((input) => input.value);
  }
  return inputs.length ? inputs[0].value : "";
}

function isShown(group) {
  const value = valueOf(group.dataset.shownWhen);
  const split = (text) => (text ? text.split(",") : []);
  if (group.dataset.shownContains) return Array.isArray(value) && value.includes(group.dataset.shownContains);
  const equals = split(group.dataset.shownEquals);
  if (equals.length) return equals.includes(value);
  const notEquals = split(group.dataset.shownNotEquals);
  if (notEquals.length) return Boolean(value) && !notEquals.includes(value);
  return Boolean(value);
}

function updateConditions() {
  form.querySelectorAll("[data-shown-when]").forEach((group) => {
    group.hidden = !isShown(group);
  });
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function updateCounters(group) {
  const input = group.querySelector("textarea, input");
  const text = input.value;
  const minimum = Number(group.dataset.minlength || 0);
  const minMessage = group.querySelector(".app-min-count");
  if (minMessage) {
    const missing = minimum - Array.from(text).length;
    minMessage.hidden = missing <= 0;
    minMessage.textContent = missing > 0 ? `Enter at least ${plural(missing, "more character")}` : "";
  }
  const wordMessage = group.querySelector(".app-word-count");
  if (wordMessage) {
    const limit = Number(group.dataset.wordLimit);
    const words = text.trim() ? text.trim().split(/\s+/).length : 0;
    const left = limit - words;
    wordMessage.textContent = left >= 0 ? `You have ${plural(left, "word")} remaining` : `You have ${plural(-left, "word")} too many`;
    wordMessage.classList.toggle("nhsuk-error-message", left < 0);
    wordMessage.classList.toggle("nhsuk-hint", left >= 0);
  }
}

// After htmx swaps in a field's error slot, mark the field as the server marks a field it renders with an error
// (boards/forms.py): the form group's and the input's error classes and aria-invalid. aria-describedby already names
// the slot, whether it is empty or not.
function markErrors(slot) {
  const group = slot.closest(".app-board-field");
  if (!group) return;
  const hasError = slot.children.length > 0;
  group.classList.toggle("nhsuk-form-group--error", hasError);
  group.querySelectorAll("input.nhsuk-input, select, textarea").forEach((input) => {
    const errorClass = input.tagName === "SELECT" ? "nhsuk-select--error" : input.tagName === "TEXTAREA" ? "nhsuk-textarea--error" : "nhsuk-input--error";
    input.classList.toggle(errorClass, hasError);
    if (hasError) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  });
}

if (form) {
  const counted = form.querySelectorAll("[data-minlength], [data-word-limit]");
  counted.forEach((group) => {
    group.querySelector("textarea, input").addEventListener("input", () => updateCounters(group));
    updateCounters(group);
  });
  form.addEventListener("change", updateConditions);
  form.addEventListener("input", updateConditions);
  updateConditions();
  // The event's target is the slot that was replaced (out of the page by now): find its successor by id.
  document.body.addEventListener("htmx:oobAfterSwap", (event) => {
    const slot = document.getElementById(event.detail.target.id);
    if (slot && slot.classList.contains("app-field-errors")) markErrors(slot);
  });
}
