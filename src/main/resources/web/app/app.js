// htmx drives the live parts of the dashboard (polling fragments); everything else is plain server-rendered HTML.
import htmx from 'htmx.org';

window.htmx = htmx;
// The Content-Security-Policy allows no inline style: the indicator rules live in gatewatch.css instead.
htmx.config.includeIndicatorStyles = false;

// A session that expired while a page was polling: the fragment request was redirected to the login form. Go there as a
// whole page instead of swapping the form into the table.
document.addEventListener('htmx:beforeSwap', (event) => {
  const url = event.detail.xhr && event.detail.xhr.responseURL;
  if (url && new URL(url).pathname === '/login') {
    event.detail.shouldSwap = false;
    window.location.assign(url);
  }
});

// Times are rendered in UTC on the server (owners have no time zone setting); where a script runs, a <time> whose text
// is a UTC time is shown in the browser's own zone instead, with the UTC text kept as its tooltip. Charts stay in UTC
// and say so.
const parts = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  hourCycle: 'h23', timeZoneName: 'short',
});
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

function localTime(date) {
  const p = Object.fromEntries(parts.formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName}`;
}

function localTimes(root) {
  if (!zone || zone === 'UTC' || zone === 'Etc/UTC') {
    return;
  }
  root.querySelectorAll('time[datetime]').forEach((t) => {
    const utc = t.textContent.trim();
    const date = new Date(t.getAttribute('datetime'));
    if (t.dataset.local || !utc.endsWith(' UTC') || Number.isNaN(date.getTime())) {
      return;
    }
    t.title = utc;
    t.textContent = localTime(date);
    t.dataset.local = 'true';
  });
  root.querySelectorAll('[data-times-note]').forEach((note) => {
    note.textContent = `Times are in your time zone (${zone}); hover over one for UTC.`;
  });
}

htmx.onLoad(localTimes);
