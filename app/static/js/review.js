// The review screen: Space reveals, 1-4 grade, U undoes the last action; P plays the word; typed pinyin; timing.
(function () {
  "use strict";
  const root = document.getElementById("review");
  if (!root) return;
  const script = document.currentScript;
  const back = document.getElementById("back");
  const revealButton = document.getElementById("reveal");
  const form = document.getElementById("grade-form");
  const typedArea = document.getElementById("typed-area");
  const typedInput = document.getElementById("typed-pinyin");
  const typedMode = document.getElementById("typed-mode");
  const typedResult = document.getElementById("typed-result");
  const autoplay = document.getElementById("autoplay");
  const shownAt = performance.now();
  let submitted = false;

  // ---- reveal and grade ----
  function revealed() { return !back.hidden; }
  function reveal() {
    if (revealed()) return;
    if (typedModeOn() && typedInput && typedInput.value.trim() && !typedResult.dataset.checked) {
      checkTyped().then(reveal);
      return;
    }
    back.hidden = false;
    revealButton.hidden = true;
    const good = form.querySelector('button[data-rating="3"]');
    if (good) good.focus();
    if (root.dataset.direction !== "listening" && autoplay && autoplay.checked) speakWord();
  }
  function gradeWith(rating) {
    if (!revealed() || submitted) return;
    const button = form.querySelector('button[data-rating="' + rating + '"]');
    if (button) button.click();
  }
  form.addEventListener("submit", function (event) {
    if (submitted) { event.preventDefault(); return; }  // one grade per card, however many clicks
    submitted = true;
    form.elements.duration_ms.value = String(Math.round(performance.now() - shownAt));
  });
  revealButton.addEventListener("click", reveal);

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const typing = event.target instanceof HTMLInputElement && event.target.type === "text";
    if (typing) {
      if (event.key === "Enter") { event.preventDefault(); reveal(); }
      return;
    }
    if (event.key === " " || event.key === "Enter") {
      if (!revealed()) { event.preventDefault(); reveal(); }
      else if (event.key === " ") { event.preventDefault(); gradeWith(3); }
    } else if (["1", "2", "3", "4"].includes(event.key)) {
      event.preventDefault();
      gradeWith(event.key);
    } else if (event.key === "p" || event.key === "P") {
      if (root.dataset.direction === "recall" && !revealed()) return;  // the word is the answer
      if (revealed()) speakWord(); else speakFront();
    } else if (event.key === "u" || event.key === "U") {
      const undo = document.getElementById("undo");
      if (undo) undo.click();
    }
  });

  // ---- speech (static/js/speech.js): the front never speaks a recall card's answer ----
  const front = root.querySelector(".front");
  function speakFront() {
    const button = front.querySelector("[data-speak]");
    if (button && window.GuituSpeech) window.GuituSpeech.speak(button);
  }
  function speakWord() {
    const button = document.getElementById("speak-back");
    if (button && window.GuituSpeech) window.GuituSpeech.speak(button);
  }
  const showPinyin = document.getElementById("show-pinyin");
  if (showPinyin) {
    showPinyin.addEventListener("click", function () {
      document.getElementById("front-pinyin").hidden = false;
      showPinyin.hidden = true;
    });
  }
  if (autoplay) {
    autoplay.checked = localStorage.getItem("guitu.autoplay") !== "0";
    autoplay.addEventListener("change", function () { localStorage.setItem("guitu.autoplay", autoplay.checked ? "1" : "0"); });
    if (root.dataset.direction === "listening" && autoplay.checked) speakFront();
  }

  // ---- typed pinyin ----
  function typedModeOn() { return typedMode && typedMode.checked; }
  if (typedMode) {
    typedMode.checked = localStorage.getItem("guitu.typed") === "1";
    const apply = function () {
      typedArea.hidden = !typedModeOn();
      localStorage.setItem("guitu.typed", typedModeOn() ? "1" : "0");
      if (typedModeOn() && !revealed()) typedInput.focus();
    };
    typedMode.addEventListener("change", apply);
    apply();
  }
  function checkTyped() {
    return fetch(script.dataset.checkUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": script.dataset.csrf },
      body: JSON.stringify({ card_id: Number(root.dataset.cardId), typed: typedInput.value }),
    }).then(function (response) {
      if (!response.ok) throw new Error("check failed: " + response.status);
      return response.json();
    }).then(function (result) {
      typedResult.dataset.checked = "1";
      typedResult.textContent = "";
      const headline = document.createElement("strong");
      headline.textContent = result.correct ? "Correct! " : (!result.parsed ? "That is not pinyin. " :
        (result.tones_only ? "Right sounds, wrong tones: " : "Not quite: "));
      typedResult.appendChild(headline);
      result.syllables.forEach(function (s) {
        const span = document.createElement("span");
        span.className = "syllable verdict-" + s.verdict;
        span.textContent = s.verdict === "correct" ? s.expected :
          s.verdict === "missing" ? "(" + s.expected + " missing)" :
          s.verdict === "extra" ? "(extra " + s.typed + ")" : s.typed + " → " + s.expected;
        span.title = s.verdict.replace("_", " ");
        typedResult.appendChild(span);
        typedResult.appendChild(document.createTextNode(" "));
      });
      // Pre-select the grade a wrong answer deserves; the learner can still choose another.
      const suggestion = form.querySelector('button[data-rating="' + (result.correct ? 3 : 1) + '"]');
      if (suggestion) setTimeout(function () { suggestion.focus(); }, 0);
    }).catch(function () {
      typedResult.textContent = "Could not check the answer; grade yourself.";
    });
  }
})();
