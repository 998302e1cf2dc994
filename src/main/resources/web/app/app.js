// htmx drives the live parts of the dashboard (polling fragments); everything else is plain server-rendered HTML.
import htmx from 'htmx.org';

window.htmx = htmx;
