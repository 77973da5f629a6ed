// Speak buttons ([data-speak] with [data-audio], the id of an <audio> element with the server's audio):
// the browser's own Chinese voice where it has one, unless the learner prefers the server's voice
// (data-voice="server" on the page's #review, or on <body>), else the server's audio. Never silent:
// without a Chinese voice the server's audio plays, and a failure says so on the button.
(function () {
  "use strict";
  function preferServer() {
    const holder = document.querySelector("[data-voice]");
    return holder && holder.dataset.voice === "server";
  }
  function chineseVoice() {
    if (!("speechSynthesis" in window)) return null;
    return window.speechSynthesis.getVoices().find(function (v) { return /^(zh|cmn)\b/i.test(v.lang); }) || null;
  }
  function playAudio(button) {
    const audio = document.getElementById(button.dataset.audio);
    if (!audio || !audio.getAttribute("src")) return Promise.resolve(false);
    if ("speechSynthesis" in window) window.speechSynthesis.cancel();
    document.querySelectorAll("audio").forEach(function (other) { if (other !== audio) other.pause(); });
    audio.currentTime = 0;
    return audio.play().then(function () { return true; }, function () {
      button.title = "The sound could not play here; try the button again.";
      return false;
    });
  }
  function speak(button) {
    const voice = preferServer() ? null : chineseVoice();
    if (!voice) return playAudio(button);
    const utterance = new SpeechSynthesisUtterance(button.dataset.speak);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = 0.85;
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(utterance);
    return Promise.resolve(true);
  }
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-speak]");
    if (button) speak(button);
  });
  window.GuituSpeech = { speak: speak, chineseVoice: chineseVoice };
})();
