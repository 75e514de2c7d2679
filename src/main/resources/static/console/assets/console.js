// Live queue: when the server says the queue changed, fetch this page again and swap in its list, so a new
// conversation shows up without a reload. Without JavaScript, or if anything fails, a reload does the same.
(function () {
    'use strict';
    var live = document.querySelector('[data-live-events]');
    if (!live || !window.EventSource || !window.fetch) {
        return;
    }
    var pending = false;
    function refresh() {
        if (pending) {
            return;
        }
        pending = true;
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
            });
    }
    new EventSource(live.getAttribute('data-live-events')).addEventListener('queue', refresh);
}());
