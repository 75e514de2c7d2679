// The web chat's only script, a progressive enhancement: every page works without it.
// On the start page it proves work for the challenges (start, resume) instead of asking the sums; on the chat page it finds
// the work each message's form is paid with while he reads and types, and follows the conversation live, swapping in the
// changed part of the page without a reload.
(function () {
  'use strict';

  var working = !!(window.crypto && crypto.subtle && window.TextEncoder && window.Promise);
  var encoder = working ? new TextEncoder() : null;
  if (working) {
    var challenged = document.querySelectorAll('form.challenged');
    for (var i = 0; i < challenged.length; i++) { prove(challenged[i]); }
    pay(document.querySelectorAll('form.worked'));
  }
  var live = document.getElementById('live');
  if (live && window.fetch && window.DOMParser) {
    follow(live);
  }

  // A number n whose SHA-256 of 'token:n' starts with this many zero bits; given up once alive() says so.
  function search(token, bits, alive) {
    function zeros(bytes) {
      var count = 0;
      for (var i = 0; i < bytes.length; i++) {
        if (bytes[i] === 0) { count += 8; continue; }
        for (var b = bytes[i]; (b & 0x80) === 0; b <<= 1) { count++; }
        return count;
      }
      return count;
    }
    function attempt(n) {
      return crypto.subtle.digest('SHA-256', encoder.encode(token + ':' + n)).then(function (digest) {
        return zeros(new Uint8Array(digest)) >= bits ? n : null;
      });
    }
    function batch(from) {
      if (alive && !alive()) { return Promise.reject(new Error('gone')); }
      var tries = [];
      for (var n = from; n < from + 256; n++) { tries.push(attempt(n)); }
      return Promise.all(tries).then(function (results) {
        for (var i = 0; i < results.length; i++) {
          if (results[i] !== null) { return results[i]; }
        }
        return batch(from + 256);
      });
    }
    return batch(0);
  }

  // A message's form (text or choices): its post is paid with work on the form's token, found in the background; a
  // press before it is found waits for it. Without it (no Web Crypto) the post goes unpaid, as without JavaScript.
  function pay(forms) {
    for (var i = 0; i < forms.length; i++) { payFor(forms[i]); }
  }

  function payFor(form) {
    var bits = parseInt(form.getAttribute('data-bits'), 10) || 0;
    var done = false;
    var wanted = false;
    var pressed = null;
    var buttons = form.querySelectorAll('button');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener('click', function (event) { pressed = event.currentTarget; });
    }
    form.addEventListener('submit', function (event) {
      if (done) { return; }
      event.preventDefault();
      wanted = true;
      // the live updates leave the page as it is while this waits to be sent
      form.setAttribute('data-sending', '');
      for (var i = 0; i < buttons.length; i++) { buttons[i].disabled = true; }
    });
    function send() {
      done = true;
      if (!wanted) { return; }
      // form.submit() sends no button: the choice pressed goes in a field of its own
      if (pressed && pressed.name) {
        var field = document.createElement('input');
        field.type = 'hidden';
        field.name = pressed.name;
        field.value = pressed.value;
        form.appendChild(field);
      }
      form.submit();
    }
    // a form the live updates replaced is searched for no more
    search(form.elements.form.value, bits, function () { return form.isConnected; }).then(function (n) {
      form.elements.work.value = String(n);
      send();
    }, function () {
      if (form.isConnected) { send(); }
    });
  }

  function prove(form) {
    var question = form.querySelector('.question');
    var answer = form.elements.answer;
    var button = form.querySelector('button');
    var token = form.elements.challenge.value;
    var bits = parseInt(form.getAttribute('data-bits'), 10) || 0;
    var found = null;
    var wanted = false;
    question.hidden = true;
    answer.required = false;
    form.addEventListener('submit', function (event) {
      if (found === null) {
        event.preventDefault();
        wanted = true;
        button.disabled = true;
      }
    });

    search(token, bits).then(function (n) {
      found = n;
      form.elements.work.value = String(n);
      if (wanted) { form.submit(); }
    }, function () {
      question.hidden = false;
      answer.required = true;
      button.disabled = false;
    });
  }

  function follow(current) {
    var state = current.getAttribute('data-state');
    function poll() {
      fetch('chat/state', {credentials: 'same-origin', cache: 'no-store'}).then(function (response) {
        if (response.status === 410) { location.reload(); return null; }
        return response.ok ? response.text() : state;
      }).then(function (next) {
        if (next !== null && next !== state) { return refresh(); }
        return null;
      }).catch(function () { return null; }).then(function () { setTimeout(poll, 3000); });
    }
    function refresh() {
      return fetch('chat', {credentials: 'same-origin', cache: 'no-store'}).then(function (response) {
        return response.text();
      }).then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('live');
        if (!fresh) { location.reload(); return; }
        // a choice pressed and waiting for its work would be lost with its form: the next poll tries again
        if (current.querySelector('form[data-sending]')) { return; }
        current.replaceWith(fresh);
        current = fresh;
        if (working) { pay(fresh.querySelectorAll('form.worked')); }
        state = fresh.getAttribute('data-state');
        var last = fresh.querySelector('.transcript li:last-child');
        if (last) { last.scrollIntoView({block: 'nearest'}); }
      });
    }
    setTimeout(poll, 3000);
  }
})();
