// The ballot's running total, updated as a resident ticks projects or types points: the
// projects chosen, their cost and what is left of the budget. Without this script, the
// "Check my ballot" button shows the same figures from the server.
(function () {
  "use strict";
  const form = document.getElementById("ballot-form");
  if (!form) {
    return;
  }
  const amount = Number(form.dataset.amount);
  const kind = form.dataset.kind;
  const format = new Intl.NumberFormat(document.documentElement.lang || undefined, {
    maximumFractionDigits: 0,
  });
  const shown = (name) => form.querySelector('[data-total="' + name + '"]');

  function update() {
    let count = 0;
    let total = 0;
    let points = 0;
    form.querySelectorAll("input[data-cost]").forEach((input) => {
      let chosen;
      if (input.type === "checkbox") {
        chosen = input.checked;
      } else {
        const value = Number(input.value);
        chosen = input.value.trim() !== "" && Number.isInteger(value) && value > 0;
        if (chosen && kind === "cumulative") {
          points += value;
        }
      }
      if (chosen) {
        count += 1;
        total += Number(input.dataset.cost);
      }
    });
    shown("count").textContent = format.format(count);
    shown("total").textContent = format.format(total);
    shown("left").textContent = format.format(amount - total);
    const left = shown("left").parentElement;
    left.classList.toggle("over-budget", amount - total < 0);
    if (shown("points")) {
      shown("points").textContent = format.format(points);
    }
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
