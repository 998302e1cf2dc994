// htmx drives the live parts of the dashboard (polling fragments); everything else is plain server-rendered HTML.
import htmx from 'htmx.org';

window.htmx = htmx;

// A session that expired while a page was polling: the fragment request was redirected to the login form. Go there as a
// whole page instead of swapping the form into the table.
document.addEventListener('htmx:beforeSwap', (event) => {
  const url = event.detail.xhr && event.detail.xhr.responseURL;
  if (url && new URL(url).pathname === '/login') {
    event.detail.shouldSwap = false;
    window.location.assign(url);
  }
});
