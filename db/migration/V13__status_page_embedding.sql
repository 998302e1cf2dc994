-- Opt-in: sites that may show the public status page in a frame (CSP frame-ancestors); empty: none may.
alter table status_page add column embed_origins text[] not null default '{}';
