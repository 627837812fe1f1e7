// Kiosks' calls for help on the counter page: one banner per call (which kiosk, which screen,
// since when) with "I'm on my way", a chime when a new call comes and again every minute while
// one waits unanswered. The calls come in the state (`helps`), which the page fetches again at
// every event; answering is POST /help/{device}/answer, and the kiosk then shows who is coming.
'use strict';
window.HelpCalls = (function () {
  const { t, el, clear, $, api, press, say, sayError } = App;
  const REMIND_MS = 60 * 1000;
  const heard = new Set(); // the calls already chimed for, by kiosk and time
  let waiting = false; // some call has no answer yet
  let audio = null;
  let chimes = 0;
  let refresh = () => {};

  // A browser plays sound only once the person has used the page: the first click or key
  // (taking a counter, a button) wakes the sound up for the calls that come later.
  function wake() {
    try {
      if (!audio) audio = new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === 'suspended') audio.resume();
    } catch (_) {
      audio = null; // no sound on this PC: the banner still says it
    }
  }

  // Two soft tones, falling: noticeable across a counter, not an alarm.
  function chime() {
    if (!audio || audio.state !== 'running') return;
    const now = audio.currentTime;
    [[880, 0], [660, 0.28]].forEach(([hz, at]) => {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = hz;
      gain.gain.setValueAtTime(0.0001, now + at);
      gain.gain.exponentialRampToValueAtTime(0.3, now + at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + at + 0.25);
      osc.connect(gain).connect(audio.destination);
      osc.start(now + at);
      osc.stop(now + at + 0.26);
    });
    chimes += 1;
    document.body.dataset.helpChimes = String(chimes);
  }

  function screenName(s) {
    return t('help.screen.' + (['home', 'ticket', 'procedures', 'dossier'].includes(s) ? s : 'other'));
  }

  function answer(call) {
    const path = `/help/${encodeURIComponent(call.device)}/answer`;
    press('help:' + call.device + ':' + call.asked_at, (key) => api('POST', path, { body: {}, key }))
      .then(() => say(t('help.answered', { device: call.device }), 'ok'))
      .catch((e) => sayError(e))
      .finally(() => refresh());
  }

  function render(state) {
    const calls = (state && state.helps) || [];
    const box = clear($('helps'));
    box.hidden = calls.length === 0;
    let fresh = false;
    for (const call of calls) {
      const id = call.device + '|' + call.asked_at;
      const open = !call.answered_by;
      if (open && !heard.has(id)) {
        heard.add(id);
        fresh = true;
      }
      const what = open
        ? t('help.call', { device: call.device, screen: screenName(call.screen), time: App.time(call.asked_at) })
        : t('help.coming', { name: call.answered_by, device: call.device });
      box.append(el('div', { class: 'help-call' + (open ? ' open' : ''), dataset: { device: call.device } },
        el('span', { class: 'help-text', text: what }),
        open ? el('button', { type: 'button', class: 'primary', dataset: { answer: call.device }, text: t('help.answer'), onclick: () => answer(call) }) : null));
    }
    waiting = calls.some((c) => !c.answered_by);
    if (fresh) chime();
  }

  function init(refreshPage) {
    refresh = refreshPage;
    document.addEventListener('pointerdown', wake, { capture: true });
    document.addEventListener('keydown', wake, { capture: true });
    setInterval(() => {
      if (waiting) chime();
    }, REMIND_MS);
  }

  return { init, render };
})();
