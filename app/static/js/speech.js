// Chinese speech with the browser's own speech synthesis (nothing is downloaded): one place for the
// review screen and the reader to find a Chinese voice and speak.
(function () {
  "use strict";
  function voice() {
    if (!("speechSynthesis" in window)) return null;
    return window.speechSynthesis.getVoices().find(function (v) { return /^zh|^cmn/i.test(v.lang); }) || null;
  }
  function speak(text, rate) {
    const chinese = voice();
    if (!chinese || !text) return false;
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.voice = chinese;
    utterance.lang = chinese.lang;
    utterance.rate = rate || 0.85;
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(utterance);
    return true;
  }
  // Keep a speak button usable only while a Chinese voice exists, and say why when it does not.
  function bindButton(button, onVoices) {
    function update() {
      const ok = Boolean(voice());
      button.disabled = !ok;
      if (ok) {
        button.removeAttribute("title");
        if (button.dataset.label) button.textContent = button.dataset.label;
      } else {
        button.dataset.label = button.dataset.label || button.textContent;
        button.textContent = "No Chinese voice in this browser";
        button.title = "Install a Chinese (zh-CN) text-to-speech voice in your system to hear words.";
      }
    }
    update();
    if ("speechSynthesis" in window) {
      window.speechSynthesis.addEventListener("voiceschanged", function () {
        update();
        if (onVoices) onVoices();
      });
    }
  }
  window.GuituSpeech = { voice: voice, speak: speak, bindButton: bindButton };
})();
