// Live queue: when the server says the queue changed, fetch this page again and swap in its list, so a new
// conversation shows up without a reload. Without JavaScript, or if anything fails, a reload does the same.
(function () {
    'use strict';
    var live = document.querySelector('[data-live-events]');
    if (!live || !window.EventSource || !window.fetch) {
        return;
    }
    var pending = false;
    // a change while a refresh is on its way may have missed it: one more refresh once it is back
    var again = false;
    function refresh() {
        if (pending) {
            again = true;
            return;
        }
        pending = true;
        again = false;
        fetch(window.location.href, {credentials: 'same-origin', headers: {'Accept': 'text/html'}})
            .then(function (response) {
                if (!response.ok) {
                    throw new Error('status ' + response.status);
                }
                return response.text();
            })
            .then(function (html) {
                var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById(live.id);
                if (fresh) {
                    live.innerHTML = fresh.innerHTML;
                    live.setAttribute('data-updated', String(Date.now()));
                }
            })
            .catch(function () {
                window.location.reload();
            })
            .then(function () {
                pending = false;
                if (again) {
                    refresh();
                }
            });
    }
    var events = new EventSource(live.getAttribute('data-live-events'));
    events.addEventListener('queue', refresh);
    // what changed between the page and the stream's opening (or while it reconnected) was sent to nobody
    events.addEventListener('open', refresh);
}());
