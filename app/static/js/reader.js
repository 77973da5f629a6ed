// The reader: tap, click or Enter on any word opens its popover (reading in context, other readings,
// senses, HSK level, measure words, speech, "add to my words", the dictionary entry, and the sentence
// to hear or keep as a cloze card); the toolbar sets pinyin, tone colours and text size.
(function () {
  "use strict";
  const text = document.getElementById("reading-text");
  const popover = document.getElementById("word-popover");
  if (!text || !popover) return;
  const script = document.currentScript;
  const data = JSON.parse(document.getElementById("reader-data").textContent);
  const words = data.words;
  const sentences = data.sentences;
  const STATES = { new: "New to you", learning: "Learning", known: "Known" };
  const KINDS = { name: "a name", number: "a number" };
  let current = null; // { button, word, sentence }

  function find(selector) { return popover.querySelector(selector); }
  function hskLabel(level) { return level >= 7 ? "HSK 7–9" : "HSK " + level; }

  function fillList(list, items, make) {
    list.textContent = "";
    items.forEach(function (item) {
      const li = document.createElement("li");
      make(li, item);
      list.appendChild(li);
    });
  }

  // ---- the popover ----
  const speakButton = find(".pop-speak");
  const hearButton = find(".pop-hear");
  const wordAudio = document.getElementById("pop-word-audio");
  const sentenceAudio = document.getElementById("pop-sentence-audio");
  function open(button) {
    const word = words[Number(button.dataset.w)];
    const sentenceElement = button.closest(".sentence");
    const sentence = sentenceElement ? sentences[Number(sentenceElement.dataset.s)] || "" : "";
    if (current && current.button !== button) current.button.setAttribute("aria-expanded", "false");
    current = { button: button, word: word, sentence: sentence };
    // Speech (static/js/speech.js): the browser's Chinese voice, else the server's audio.
    const sentenceNumber = sentenceElement ? Number(sentenceElement.dataset.s) : -1;
    speakButton.dataset.speak = word.hanzi;
    wordAudio.src = data.word_audio[Number(button.dataset.w)] || "";
    hearButton.dataset.speak = sentence;
    sentenceAudio.src = data.sentence_audio[sentenceNumber] || "";
    find(".pop-hanzi").textContent = word.hanzi;
    find(".pop-pinyin").textContent = word.pinyin;
    const hsk = find(".pop-hsk");
    hsk.hidden = !word.hsk;
    hsk.textContent = word.hsk ? hskLabel(word.hsk) : "";
    showState(word.state);
    find(".pop-kind").textContent = KINDS[word.kind] || "";
    fillList(find(".pop-senses"), word.senses.length ? word.senses : [word.english || "No dictionary entry"],
      function (li, sense) { li.textContent = sense; });
    find(".pop-classifiers").hidden = !word.classifiers.length;
    find(".pop-classifier-list").textContent = word.classifiers.join(", ");
    find(".pop-other").hidden = !word.other_readings.length;
    fillList(find(".pop-other-list"), word.other_readings, function (li, reading) {
      const pinyin = document.createElement("strong");
      pinyin.textContent = reading.pinyin;
      li.appendChild(pinyin);
      li.appendChild(document.createTextNode(" " + reading.english));
    });
    find(".pop-dictionary").href = script.dataset.dictionaryUrl + "/" + encodeURIComponent(word.simplified);
    find(".pop-sentence").hidden = !sentence;
    find(".pop-sentence-text").textContent = sentence;
    find(".pop-status").textContent = "";
    popover.hidden = false;
    place(button);
    button.setAttribute("aria-expanded", "true");
    popover.focus();
  }

  function showState(state) {
    const label = find(".pop-state");
    label.textContent = STATES[state] || "";
    label.className = "pop-state state-" + state;
  }

  function close(returnFocus) {
    if (popover.hidden) return;
    popover.hidden = true;
    if (current) {
      current.button.setAttribute("aria-expanded", "false");
      if (returnFocus) current.button.focus();
    }
  }

  // Beside the word on a wide screen; a sheet along the bottom of a phone's screen (CSS).
  function place(button) {
    if (!window.matchMedia("(min-width: 48rem)").matches) {
      popover.style.left = "";
      popover.style.top = "";
      // Keep the word in sight above the sheet.
      const box = button.getBoundingClientRect();
      const free = window.innerHeight - popover.offsetHeight;
      if (box.bottom > free - 8) window.scrollBy(0, box.top - Math.max(8, (free - box.height) / 2));
      return;
    }
    const box = button.getBoundingClientRect();
    const width = popover.offsetWidth;
    const left = Math.max(window.scrollX + 8,
      Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - width - 8));
    popover.style.left = left + "px";
    popover.style.top = (window.scrollY + box.bottom + 6) + "px";
  }

  text.addEventListener("click", function (event) {
    const button = event.target.closest("button.w[data-w]");
    if (button) open(button);
  });
  find(".pop-close").addEventListener("click", function () { close(true); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") close(true);
  });
  document.addEventListener("click", function (event) {
    if (!popover.hidden && !popover.contains(event.target) && !event.target.closest("button.w[data-w]")) close(false);
  });
  window.addEventListener("resize", function () { if (current && !popover.hidden) place(current.button); });


  // ---- add to my words, save the sentence ----
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": script.dataset.csrf },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (!response.ok) throw new Error(answer.detail || "That did not work; reload the page and try again.");
        return answer;
      });
    });
  }

  function status(message) { find(".pop-status").textContent = message; }

  // Every occurrence of the word (whatever its reading in each place) takes the new state.
  function mark(simplified, state) {
    words.forEach(function (word, number) {
      if (word.simplified !== simplified || word.state === "known") return;
      word.state = state;
      text.querySelectorAll('button.w[data-w="' + number + '"]').forEach(function (button) {
        button.classList.remove("st-new", "st-learning", "st-known");
        button.classList.add("st-" + state);
      });
    });
  }

  find(".pop-add").addEventListener("click", function () {
    if (!current) return;
    const word = current.word;
    post(script.dataset.addUrl, { word: word.simplified, pinyin: word.pinyin, english: word.english,
                                  context: current.sentence })
      .then(function (answer) {
        mark(word.simplified, answer.study_state);
        showState(word.state);
        status(answer.message);
      })
      .catch(function (error) { status(error.message); });
  });

  find(".pop-cloze").addEventListener("click", function () {
    if (!current) return;
    post(script.dataset.sentenceUrl, { sentence: current.sentence, word: current.word.hanzi })
      .then(function (answer) { status(answer.message); })
      .catch(function (error) { status(error.message); });
  });

  // ---- the toolbar: pinyin, tone colours, size (remembered in this browser) ----
  const tools = document.getElementById("reader-tools");
  const store = {
    get: function (key) { try { return localStorage.getItem("guitu.reader." + key); } catch (e) { return null; } },
    set: function (key, value) { try { localStorage.setItem("guitu.reader." + key, value); } catch (e) { /* private mode */ } },
  };
  function setPinyin(mode) {
    text.classList.toggle("pinyin-unknown", mode === "unknown");
    text.classList.toggle("pinyin-none", mode === "none");
  }
  function setTones(on) {
    text.classList.toggle("tones", on);
    text.classList.toggle("no-tones", !on);
  }
  function setSize(size) {
    for (let s = 1; s <= 5; s++) text.classList.toggle("size-" + s, s === size);
    text.dataset.size = String(size);
  }
  const pinyinMode = store.get("pinyin") || "all";
  tools.querySelectorAll('input[name="pinyin-mode"]').forEach(function (radio) {
    radio.checked = radio.value === pinyinMode;
    radio.addEventListener("change", function () {
      if (radio.checked) { setPinyin(radio.value); store.set("pinyin", radio.value); }
    });
  });
  setPinyin(pinyinMode);
  const tones = document.getElementById("tone-colours");
  if (store.get("tones") !== null) tones.checked = store.get("tones") === "1";
  setTones(tones.checked);
  tones.addEventListener("change", function () { setTones(tones.checked); store.set("tones", tones.checked ? "1" : "0"); });
  setSize(Math.min(5, Math.max(1, Number(store.get("size")) || 3)));
  tools.querySelectorAll("[data-size-step]").forEach(function (button) {
    button.addEventListener("click", function () {
      const size = Math.min(5, Math.max(1, Number(text.dataset.size) + Number(button.dataset.sizeStep)));
      setSize(size);
      store.set("size", String(size));
    });
  });
  text.querySelectorAll("button.w[data-w]").forEach(function (button) { button.setAttribute("aria-haspopup", "dialog"); });
  tools.hidden = false;
})();
